package io.rlvr4j.api.objective;

/**
 * The PPO trust region: the probability ratio is clipped to {@code [1 - low, 1 + high]}. A larger
 * {@code high} than {@code low} is DAPO's clip-higher (Yu et al. 2025, arXiv:2503.14476).
 */
public record ClipRange(double low, double high) {

    public ClipRange {
        if (!(low > 0 && low < 1) || !(high > 0)) {
            throw new IllegalArgumentException("clip low must be in (0, 1) and clip high > 0, but they are: " + low + ", " + high);
        }
    }

    /** {@return the symmetric range of PPO, e.g. 0.2} */
    public static ClipRange symmetric(double epsilon) {
        return new ClipRange(epsilon, epsilon);
    }
}
