package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.backend.hf.Qwen2Config;
import io.rlvr4j.backend.hf.RotaryTables;

/**
 * The rotary tables of a model ({@link RotaryTables}: {@code transformers}' float32 angles) looked up
 * per token position; grown on demand.
 */
final class Rope {

    private final Qwen2Config config;
    private final int d;
    private RotaryTables tables = new RotaryTables(new float[0], new float[0]);

    Rope(Qwen2Config config) {
        this.config = config;
        this.d = config.headDim();
    }

    /** Fills {@code cosOut} and {@code sinOut} with one row of {@code head_dim} values per position. */
    void fill(long[] positions, float[] cosOut, float[] sinOut) {
        long max = 0;
        for (long p : positions) max = Math.max(max, p);
        int have = tables.cos().length / d;
        if (max >= have) tables = RotaryTables.of(config, (int) Math.max(max + 1, 2L * have));
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(tables.cos(), (int) positions[i] * d, cosOut, i * d, d);
            System.arraycopy(tables.sin(), (int) positions[i] * d, sinOut, i * d, d);
        }
    }
}
