package io.rlvr4j.api;

import java.util.Map;
import java.util.Objects;

/**
 * A verifier's verdict on one response.
 *
 * @param reward the reward used for training (scheme-dependent, e.g. +1 / -0.5 / -1)
 * @param score how correct the response is, in [0, 1]: 1 is correct; used for accuracy, pass@k and
 *     filtering
 * @param outcome the kind of verdict
 * @param details human-readable facts, e.g. {@code extracted = 42}
 */
public record RewardResult(double reward, double score, Outcome outcome, Map<String, String> details) {

    public RewardResult {
        Objects.requireNonNull(outcome, "outcome");
        if (!(score >= 0 && score <= 1)) throw new IllegalArgumentException("score must be in [0, 1], but is: " + score);
        if (!Double.isFinite(reward)) throw new IllegalArgumentException("reward must be finite, but is: " + reward);
        details = Map.copyOf(details == null ? Map.of() : details);
    }

    /** {@return whether the response is fully correct} */
    public boolean correct() {
        return score >= 1;
    }

    /** Kinds of verdict. */
    public enum Outcome {
        CORRECT, WRONG, NO_ANSWER, TIMEOUT, ERROR
    }
}
