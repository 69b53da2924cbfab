/**
 * The policy-gradient kit the algorithm plugins share: {@link io.rlvr4j.algorithms.kit.PolicyGradientSettings}
 * (clip range, KL in the loss or the reward, entropy bonus, loss aggregation, epochs and mini-batches,
 * read from an algorithm's settings), {@link io.rlvr4j.algorithms.kit.ActorBatch} (a batch of rollouts
 * as actor samples, and its optimiser steps), {@link io.rlvr4j.algorithms.kit.MiniBatches} and
 * {@link io.rlvr4j.algorithms.kit.StepMeans}. A library, as {@code io.rlvr4j.backend.hf} is the
 * backends': the api keeps only contracts, and a third-party algorithm may require this module to
 * reuse the kit. It provides no service.
 */
module io.rlvr4j.algorithms.kit {
    requires transitive io.rlvr4j.api;

    exports io.rlvr4j.algorithms.kit;
}
