package io.rlvr4j.api;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A named parameter's value in float32, row-major, as it crosses from a trainer to a rollout engine.
 *
 * <p>The values are a buffer: a Java array's ({@link #WeightTensor(long[], float[])}) or, from
 * {@link Policy#lendWeights}, a read-only view of the trainer's own memory, valid only while the
 * call it was lent to runs, so that a weight sync copies each value once, into the receiver. Read it
 * with absolute gets ({@code data().get(index, array)}) or a {@link FloatBuffer#duplicate()}; its
 * position is 0 and its limit the value count.
 *
 * @param shape the dimensions
 * @param data {@code product(shape)} values
 */
public record WeightTensor(long[] shape, FloatBuffer data) {

    public WeightTensor {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.remaining());
        }
    }

    /** A tensor over {@code values}, which it does not copy. */
    public WeightTensor(long[] shape, float[] values) {
        this(shape, FloatBuffer.wrap(values));
    }

    /** {@return the number of values} */
    public int size() {
        return data.remaining();
    }

    /** {@return the values in a new array} */
    public float[] toArray() {
        float[] out = new float[data.remaining()];
        data.get(data.position(), out);
        return out;
    }
}
