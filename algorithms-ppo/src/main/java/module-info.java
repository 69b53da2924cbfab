/**
 * PPO with a critic: GAE advantages over each response, whitened over the batch; the clipped policy
 * loss for the actor and the clipped value loss for a critic with a value head on the policy's backbone.
 *
 * @provides io.rlvr4j.api.Algorithm selected in configuration by {@code algorithm.name: ppo}
 */
module io.rlvr4j.algorithms.ppo {
    requires io.rlvr4j.api;
    requires io.rlvr4j.algorithms.kit;

    provides io.rlvr4j.api.Algorithm with io.rlvr4j.algorithms.ppo.internal.PpoAlgorithm;
}
