package io.rlvr4j.verifier.math.internal;

/**
 * What each verdict is worth as a training reward. The score (accuracy, pass@k) is 1 for a correct
 * answer and 0 otherwise, whatever the scheme.
 *
 * @param correct the reward of a correct final answer
 * @param wrong the reward of a wrong final answer (also of a problem that cannot be judged, or a time-out)
 * @param noAnswer the reward of a response without a final answer
 * @param format the response format required before the answer is judged
 * @param formatError the reward of a response that breaks {@code format}
 */
record RewardScheme(double correct, double wrong, double noAnswer, Format format, double formatError) {

    /** A response format that the reward enforces. */
    enum Format {
        /** Any response; the final answer is found anywhere. */
        NONE,
        /**
         * Reasoning in one {@code <think>…</think>} block at the start, then the answer (DeepSeek-R1,
         * AceReason-Nemotron): the answer is taken only from after {@code </think>}, and a response
         * without exactly one well-formed block earns {@code formatError}.
         */
        THINK
    }

    RewardScheme {
        for (double r : new double[] {correct, wrong, noAnswer, formatError}) {
            if (!Double.isFinite(r)) throw new IllegalArgumentException("rewards must be finite, but one is: " + r);
        }
    }

    /** {@return 1 for correct, 0 otherwise: the plain accuracy reward of RLOO/GRPO recipes such as Sky-T1} */
    static RewardScheme binary() {
        return new RewardScheme(1, 0, 0, Format.NONE, 0);
    }

    /**
     * {@return SimpleRL-Zero's scheme (Zeng et al. 2025, arXiv:2503.18892): +1 correct, -0.5 wrong,
     * -1 no answer}, which also rewards producing a well-formed answer
     */
    static RewardScheme simpleRl() {
        return new RewardScheme(1, -0.5, -1, Format.NONE, -1);
    }
}
