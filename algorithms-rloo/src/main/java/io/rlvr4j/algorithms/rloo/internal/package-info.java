/**
 * The {@code rloo}, {@code grpo} and {@code reinforce_pp} providers, which share one update rule
 * ({@link io.rlvr4j.algorithms.rloo.internal.GroupPolicyGradientRule}: KL in the reward or the loss,
 * mini-batches, epochs, filtering) and differ only in their
 * {@link io.rlvr4j.algorithms.rloo.internal.AdvantageEstimator}. Not exported: the app reaches them
 * through {@link io.rlvr4j.api.Algorithm}.
 */
package io.rlvr4j.algorithms.rloo.internal;
