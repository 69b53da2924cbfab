/**
 * The math verifier in three replaceable parts: an {@link io.rlvr4j.verifier.math.internal.AnswerExtractor}
 * (where the final answer is), an {@link io.rlvr4j.verifier.math.internal.AnswerComparator} (whether two
 * answers are the same) and a {@link io.rlvr4j.verifier.math.internal.RewardScheme} (what a verdict is
 * worth). Not exported: the app reaches the verifier through {@link io.rlvr4j.api.RewardFunction}.
 */
package io.rlvr4j.verifier.math.internal;
