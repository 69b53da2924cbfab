/**
 * PRIME: an implicit process reward model trained online on outcome labels, leave-one-out baselines on
 * process and outcome rewards, accuracy-band filtering of prompts.
 *
 * @provides io.rlvr4j.api.Algorithm selected in configuration by {@code algorithm.name: prime}
 */
module io.rlvr4j.algorithms.prime {
    requires io.rlvr4j.api;
    requires io.rlvr4j.algorithms.kit;

    provides io.rlvr4j.api.Algorithm with io.rlvr4j.algorithms.prime.internal.PrimeAlgorithm;
}
