package io.rlvr4j.backend.hf;

/**
 * The rotary-embedding tables of a model, computed as {@code transformers} does in float32: the
 * inverse frequencies of its {@link Rope} ({@code inv_freq_i = 1 / theta^(2i/d)}, rescaled by
 * {@code rope_scaling}), {@code angle = float(p) * inv_freq_i}, both halves of a head taking the same
 * angles, cos and sin times the rope's attention factor. Row {@code p} of each table holds position {@code p}'s {@code head_dim}
 * values.
 *
 * @param cos {@code [positions, head_dim]} cosines, row-major
 * @param sin {@code [positions, head_dim]} sines, row-major
 */
public record RotaryTables(float[] cos, float[] sin) {

    /** {@return the tables of positions {@code [0, positions)} for {@code config}} */
    public static RotaryTables of(DecoderConfig config, int positions) {
        int d = config.headDim();
        int half = d / 2;
        float[] inv = config.rope().inverseFrequencies();
        float scale = config.rope().attentionFactor();
        float[] c = new float[positions * d];
        float[] s = new float[positions * d];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * inv[i];
                float cv = (float) Math.cos(angle) * scale;
                float sv = (float) Math.sin(angle) * scale;
                c[p * d + i] = cv;
                c[p * d + i + half] = cv;
                s[p * d + i] = sv;
                s[p * d + i + half] = sv;
            }
        }
        return new RotaryTables(c, s);
    }
}
