/**
 * The {@code rloo} and {@code grpo} providers, which share one update rule
 * ({@link io.rlvr4j.algorithms.rloo.internal.GroupPolicyGradientRule}) and differ only in their
 * {@link io.rlvr4j.algorithms.rloo.internal.GroupBaseline}. Not exported: the app reaches them through
 * {@link io.rlvr4j.api.Algorithm}.
 */
package io.rlvr4j.algorithms.rloo.internal;
