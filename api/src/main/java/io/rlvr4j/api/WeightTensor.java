package io.rlvr4j.api;

import java.util.Arrays;

/**
 * A named parameter's value in float32, row-major, as it crosses from a trainer to a rollout engine.
 *
 * @param shape the dimensions
 * @param data {@code product(shape)} values
 */
public record WeightTensor(long[] shape, float[] data) {

    public WeightTensor {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }
}
