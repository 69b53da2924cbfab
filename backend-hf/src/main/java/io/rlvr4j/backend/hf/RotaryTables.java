package io.rlvr4j.backend.hf;

/**
 * The rotary-embedding tables of a Qwen2 model, computed as {@code transformers} does in float32:
 * {@code inv_freq_i = 1 / theta^(2i/d)}, {@code angle = float(p) * inv_freq_i}, both halves of a head
 * taking the same angles. Row {@code p} of each table holds position {@code p}'s {@code head_dim}
 * values.
 *
 * @param cos {@code [positions, head_dim]} cosines, row-major
 * @param sin {@code [positions, head_dim]} sines, row-major
 */
public record RotaryTables(float[] cos, float[] sin) {

    /** {@return the tables of positions {@code [0, positions)} for {@code config}} */
    public static RotaryTables of(Qwen2Config config, int positions) {
        int d = config.headDim();
        int half = d / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) inv[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), (float) (2 * i) / d));
        float[] c = new float[positions * d];
        float[] s = new float[positions * d];
        for (int p = 0; p < positions; p++) {
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
        return new RotaryTables(c, s);
    }
}
