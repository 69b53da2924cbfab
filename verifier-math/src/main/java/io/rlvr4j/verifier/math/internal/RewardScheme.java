package io.rlvr4j.verifier.math.internal;

/**
 * What each verdict is worth as a training reward. The score (accuracy, pass@k) is 1 for a correct
 * answer and 0 otherwise, whatever the scheme.
 *
 * @param correct the reward of a correct final answer
 * @param wrong the reward of a wrong final answer (also of a problem that cannot be judged)
 * @param noAnswer the reward of a response without a final answer (no closed {@code \boxed{}})
 */
record RewardScheme(double correct, double wrong, double noAnswer) {

    RewardScheme {
        if (!Double.isFinite(correct) || !Double.isFinite(wrong) || !Double.isFinite(noAnswer)) {
            throw new IllegalArgumentException("rewards must be finite, but are: " + correct + ", " + wrong + ", " + noAnswer);
        }
    }

    /** {@return 1 for correct, 0 otherwise: the plain accuracy reward of RLOO/GRPO recipes such as Sky-T1} */
    static RewardScheme binary() {
        return new RewardScheme(1, 0, 0);
    }

    /**
     * {@return SimpleRL-Zero's scheme (Zeng et al. 2025, arXiv:2503.18892): +1 correct, -0.5 wrong,
     * -1 no answer}, which also rewards producing a well-formed answer
     */
    static RewardScheme simpleRlZero() {
        return new RewardScheme(1, -0.5, -1);
    }
}
