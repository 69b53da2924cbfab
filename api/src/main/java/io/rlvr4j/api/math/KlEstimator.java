package io.rlvr4j.api.math;

/**
 * Per-token estimators of {@code KL(pi || pi_ref)} from samples of {@code pi} (J. Schulman,
 * "Approximating KL divergence", 2020). With {@code d = logRef - logp}:
 * <ul>
 *   <li>{@link #K1}: {@code -d}; unbiased, high variance, can be negative.
 *   <li>{@link #K2}: {@code d^2 / 2}; biased, low variance, non-negative.
 *   <li>{@link #K3}: {@code exp(d) - 1 - d}; unbiased, low variance, non-negative (GRPO's choice).
 *       As verl's {@code low_var_kl}, {@code d} is clamped to [-20, 20] and the estimate to at most 10,
 *       so that one token the reference finds far likelier cannot blow the loss up.
 * </ul>
 * Configuration accepts verl's names too: {@code kl} (k1), {@code mse} (k2), {@code low_var_kl} (k3).
 */
public enum KlEstimator {
    K1, K2, K3;

    private static final double K3_LOG_RATIO_BOUND = 20;
    private static final double K3_BOUND = 10;

    /** {@return the estimate for one token sampled from the policy} */
    public double estimate(double logProb, double refLogProb) {
        double d = refLogProb - logProb;
        return switch (this) {
            case K1 -> -d;
            case K2 -> 0.5 * d * d;
            case K3 -> {
                double c = Math.max(-K3_LOG_RATIO_BOUND, Math.min(K3_LOG_RATIO_BOUND, d));
                yield Math.min(K3_BOUND, Math.expm1(c) - c);
            }
        };
    }

    /**
     * {@return the estimator named {@code name}}: {@code k1}, {@code k2}, {@code k3}, or verl's
     * {@code kl}, {@code mse}, {@code low_var_kl}; case and {@code -}/{@code _} ignored
     *
     * @throws IllegalArgumentException for another name
     */
    public static KlEstimator named(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "k1", "kl" -> K1;
            case "k2", "mse" -> K2;
            case "k3", "low_var_kl" -> K3;
            default -> throw new IllegalArgumentException("expected one of: k1, k2, k3 (verl's kl, mse, low_var_kl)");
        };
    }
}
