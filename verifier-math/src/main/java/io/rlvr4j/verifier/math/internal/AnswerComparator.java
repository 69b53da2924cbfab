package io.rlvr4j.verifier.math.internal;

/**
 * Decides whether an extracted answer means the same as the reference answer.
 *
 * @implSpec Implementations are thread-safe and never throw; text they cannot interpret is simply
 *     not equivalent (unless identical).
 */
interface AnswerComparator {

    /** {@return whether {@code candidate} is equivalent to {@code reference}} */
    boolean equivalent(String candidate, String reference);
}
