package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.backend.hf.Qwen2Config;

/**
 * The rotary tables of a model, computed in Java as {@code transformers} does in float32:
 * {@code inv_freq_i = 1 / theta^(2i/d)}, {@code angle = float(p) * inv_freq_i}, both halves of a head
 * taking the same angles. Rows are cached per position and grown on demand.
 */
final class Rope {

    private final int d;
    private final float[] inv;
    private float[] cos = new float[0];
    private float[] sin = new float[0];

    Rope(Qwen2Config config) {
        this.d = config.headDim();
        int half = d / 2;
        this.inv = new float[half];
        for (int i = 0; i < half; i++) inv[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), (float) (2 * i) / d));
    }

    /** Fills {@code cosOut} and {@code sinOut} with one row of {@code head_dim} values per position. */
    void fill(long[] positions, float[] cosOut, float[] sinOut) {
        long max = 0;
        for (long p : positions) max = Math.max(max, p);
        ensure((int) max + 1);
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(cos, (int) positions[i] * d, cosOut, i * d, d);
            System.arraycopy(sin, (int) positions[i] * d, sinOut, i * d, d);
        }
    }

    private void ensure(int length) {
        int have = cos.length / d;
        if (length <= have) return;
        int n = Math.max(length, 2 * have);
        int half = d / 2;
        float[] c = new float[n * d];
        float[] s = new float[n * d];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * inv[i];
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[p * d + i] = cv;
                c[p * d + i + half] = cv;
                s[p * d + i] = sv;
                s[p * d + i + half] = sv;
            }
        }
        cos = c;
        sin = s;
    }
}
