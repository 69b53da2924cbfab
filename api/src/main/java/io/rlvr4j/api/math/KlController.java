package io.rlvr4j.api.math;

/**
 * The coefficient of a KL penalty in the reward, fixed or adapted to a target (Ziegler et al. 2019,
 * "Fine-Tuning Language Models from Human Preferences", arXiv:1909.08593, as verl's
 * {@code AdaptiveKLController}): after each step with measured KL {@code kl} over {@code n} samples,
 * <pre>
 *   e    = clip(kl / target - 1, -0.2, 0.2)
 *   coef = coef * (1 + e * n / horizon)
 * </pre>
 * so the coefficient grows while the policy drifts beyond the target and shrinks while it stays within.
 * Not thread-safe: one per update rule.
 */
public final class KlController {

    private double coefficient;
    private final double target;
    private final long horizon;

    private KlController(double coefficient, double target, long horizon) {
        if (!(coefficient >= 0)) throw new IllegalArgumentException("kl coefficient must be >= 0, but is: " + coefficient);
        this.coefficient = coefficient;
        this.target = target;
        this.horizon = horizon;
    }

    /** {@return a controller that keeps {@code coefficient}} */
    public static KlController fixed(double coefficient) {
        return new KlController(coefficient, 0, 0);
    }

    /**
     * {@return a controller that starts at {@code initial} and adapts toward {@code targetKl}}
     *
     * @param horizon samples over which a full proportional step (±20%) is taken, e.g. 10000
     */
    public static KlController adaptive(double initial, double targetKl, long horizon) {
        if (!(targetKl > 0)) throw new IllegalArgumentException("target kl must be > 0, but is: " + targetKl);
        if (horizon < 1) throw new IllegalArgumentException("horizon must be >= 1, but is: " + horizon);
        return new KlController(initial, targetKl, horizon);
    }

    /** {@return the coefficient to use now} */
    public double coefficient() {
        return coefficient;
    }

    /** {@return whether the coefficient adapts} */
    public boolean adaptive() {
        return horizon > 0;
    }

    /**
     * Sets the coefficient to one {@link #coefficient()} gave earlier: a resumed run's controller
     * continues where the checkpointed one was.
     */
    public void restore(double savedCoefficient) {
        if (!(savedCoefficient >= 0) || Double.isInfinite(savedCoefficient)) {
            throw new IllegalArgumentException("kl coefficient must be finite and >= 0, but is: " + savedCoefficient);
        }
        this.coefficient = savedCoefficient;
    }

    /** Adapts the coefficient after a step whose {@code samples} responses had mean KL {@code kl}; a fixed one stays. */
    public void update(double kl, long samples) {
        if (!adaptive()) return;
        double error = Math.max(-0.2, Math.min(0.2, kl / target - 1));
        coefficient *= 1 + error * samples / horizon;
    }
}
