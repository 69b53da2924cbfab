package io.rlvr4j.algorithms.rloo.internal;

/**
 * Turns the rewards of one prompt's group of samples into one advantage per sample: the only thing
 * in which RLOO and GRPO differ. Implementations are pure functions of the rewards.
 */
@FunctionalInterface
interface GroupBaseline {

    /** {@return one advantage per reward, same order} */
    double[] advantages(double[] rewards);
}
