package io.rlvr4j.api.math;

/**
 * Per-token estimators of {@code KL(pi || pi_ref)} from samples of {@code pi} (J. Schulman,
 * "Approximating KL divergence", 2020). With {@code d = logRef - logp}:
 * <ul>
 *   <li>{@link #K1}: {@code -d}; unbiased, high variance, can be negative.
 *   <li>{@link #K2}: {@code d^2 / 2}; biased, low variance, non-negative.
 *   <li>{@link #K3}: {@code exp(d) - 1 - d}; unbiased, low variance, non-negative (GRPO's choice).
 * </ul>
 */
public enum KlEstimator {
    K1, K2, K3;

    /** {@return the estimate for one token sampled from the policy} */
    public double estimate(double logProb, double refLogProb) {
        double d = refLogProb - logProb;
        return switch (this) {
            case K1 -> -d;
            case K2 -> 0.5 * d * d;
            case K3 -> Math.expm1(d) - d;
        };
    }
}
