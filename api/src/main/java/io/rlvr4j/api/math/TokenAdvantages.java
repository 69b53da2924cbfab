package io.rlvr4j.api.math;

import java.util.Objects;

/**
 * Token-level credit assignment, as PPO, REINFORCE++ and PRIME use it: rewards per response token
 * (the outcome on the last token, a KL penalty on every token), discounted returns, generalised
 * advantage estimation, and whitening over a batch. Arrays hold one entry per response token; a
 * batch is one row per sequence. The definitions are verl's ({@code core_algos.py}), so results carry over.
 */
public final class TokenAdvantages {

    /** The variance floor of {@link #whiten}, as in verl's {@code masked_whiten}. */
    public static final double WHITEN_EPSILON = 1e-8;

    private TokenAdvantages() {}

    /**
     * {@return per-token rewards}: {@code r_t = -klCoef * kl(logp_t, refLogp_t)}, plus {@code outcome}
     * on the last token (verl's {@code apply_kl_penalty} on token-level scores). With {@code klCoef = 0},
     * {@code refLogProbs} may be {@code null}. An empty response has no token to carry the outcome: empty.
     */
    public static float[] shapedRewards(double outcome, float[] logProbs, float[] refLogProbs, double klCoef, KlEstimator estimator) {
        Objects.requireNonNull(logProbs, "logProbs");
        float[] r = new float[logProbs.length];
        if (klCoef != 0) {
            Objects.requireNonNull(refLogProbs, "refLogProbs are needed for a KL penalty");
            if (refLogProbs.length != logProbs.length) throw new IllegalArgumentException(refLogProbs.length + " reference log-probs for " + logProbs.length + " tokens");
            for (int t = 0; t < r.length; t++) r[t] = (float) (-klCoef * estimator.estimate(logProbs[t], refLogProbs[t]));
        }
        if (r.length > 0) r[r.length - 1] += (float) outcome;
        return r;
    }

    /** {@return {@code sum_t kl(logp_t, refLogp_t)}}, the KL of one response under {@code estimator} */
    public static double klSum(float[] logProbs, float[] refLogProbs, KlEstimator estimator) {
        double s = 0;
        for (int t = 0; t < logProbs.length; t++) s += estimator.estimate(logProbs[t], refLogProbs[t]);
        return s;
    }

    /** {@return the discounted returns {@code G_t = r_t + gamma * G_{t+1}}}, with {@code G_T = 0} after the last token */
    public static float[] discountedReturns(float[] rewards, double gamma) {
        float[] g = new float[rewards.length];
        double next = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            next = rewards[t] + gamma * next;
            g[t] = (float) next;
        }
        return g;
    }

    /**
     * Advantages and value targets of one response.
     *
     * @param advantages {@code A_t}
     * @param returns {@code A_t + V_t}, the critic's targets
     */
    public record Gae(float[] advantages, float[] returns) {}

    /**
     * Generalised advantage estimation (Schulman et al. 2016, arXiv:1506.02438) over one response:
     * <pre>
     *   delta_t = r_t + gamma * V_{t+1} - V_t        (V_T = 0: the response ends the episode)
     *   A_t     = delta_t + gamma * lambda * A_{t+1}  (A_T = 0)
     *   R_t     = A_t + V_t
     * </pre>
     * With {@code lambda = 1}, {@code A_t = G_t - V_t} (Monte-Carlo); with {@code lambda = 0}, the one-step TD error.
     */
    public static Gae gae(float[] rewards, float[] values, double gamma, double lambda) {
        if (rewards.length != values.length) throw new IllegalArgumentException(rewards.length + " rewards for " + values.length + " values");
        float[] adv = new float[rewards.length];
        float[] ret = new float[rewards.length];
        double nextValue = 0;
        double nextAdv = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            double delta = rewards[t] + gamma * nextValue - values[t];
            nextAdv = delta + gamma * lambda * nextAdv;
            adv[t] = (float) nextAdv;
            ret[t] = (float) (nextAdv + values[t]);
            nextValue = values[t];
        }
        return new Gae(adv, ret);
    }

    /**
     * {@return {@code x} whitened over every token of the batch}: {@code (x - mean) / sqrt(var + 1e-8)}
     * with the unbiased variance (divided by n - 1), the mean added back when {@code shiftMean} is false
     * (verl's {@code masked_whiten}). Fewer than two tokens have no variance: they become {@code 0}
     * (or the mean, unshifted).
     */
    public static float[][] whiten(float[][] x, boolean shiftMean) {
        double sum = 0;
        long n = 0;
        for (float[] row : x) {
            for (float v : row) sum += v;
            n += row.length;
        }
        double mean = n == 0 ? 0 : sum / n;
        double ss = 0;
        for (float[] row : x) {
            for (float v : row) ss += (v - mean) * (v - mean);
        }
        double var = n < 2 ? 0 : ss / (n - 1);
        double scale = 1 / Math.sqrt(var + WHITEN_EPSILON);
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new float[x[i].length];
            for (int t = 0; t < x[i].length; t++) {
                double w = n < 2 ? 0 : (x[i][t] - mean) * scale;
                out[i][t] = (float) (shiftMean ? w : w + mean);
            }
        }
        return out;
    }
}
