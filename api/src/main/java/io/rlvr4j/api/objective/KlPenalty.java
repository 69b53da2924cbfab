package io.rlvr4j.api.objective;

import io.rlvr4j.api.math.KlEstimator;
import java.util.Objects;

/** A KL-to-reference term added to the loss: {@code coefficient * estimator(logp, ref_logp)} per token. */
public record KlPenalty(double coefficient, KlEstimator estimator) {

    public KlPenalty {
        Objects.requireNonNull(estimator, "estimator");
        if (!(coefficient >= 0)) throw new IllegalArgumentException("kl coefficient must be >= 0, but is: " + coefficient);
    }

    /** {@return no KL term} */
    public static KlPenalty none() {
        return new KlPenalty(0, KlEstimator.K3);
    }

    /** {@return whether the term is active (and reference log-probs are needed)} */
    public boolean active() {
        return coefficient > 0;
    }
}
