package io.rlvr4j.verifier.math.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A cooperative time limit for the current thread: the parser, the evaluators, the series of
 * {@link BigMath} and the structural matching call {@link #check()} at every node or iteration, and
 * work past its deadline ends by {@link Exceeded}. No single step between two checks is long (exact
 * arithmetic stops at {@link Rational#MAX_BITS}, answers at {@link MathVerifier#MAX_ANSWER} characters).
 *
 * <p>It lets a comparison run first on the caller's thread for a short slice (a hand-over to a worker
 * costs ~25 µs on a 2-core machine, more than most comparisons), and it stops a worker that
 * {@link TimeLimiter} gave up on, instead of leaving it to run on. The worker's hard limit stays the
 * guarantee: a check that is never reached cannot hold up the training loop.
 *
 * <p>No static initialiser may run code that checks: in a cold JVM, a class first used inside an
 * attempt would end its initialisation by {@link Exceeded} and stay unusable for the JVM's life
 * (why {@link BigMath#STANDARD} holds its constants as literals).
 */
final class Deadline {

    /** Thrown by {@link #check()} past the deadline; without a stack trace, since it is control flow. */
    static final class Exceeded extends RuntimeException {
        private Exceeded() {
            super("deadline exceeded", null, false, false);
        }
    }

    private static final Exceeded EXCEEDED = new Exceeded();
    private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {Long.MAX_VALUE});

    private Deadline() {}

    /** {@return the result of {@code work}, or empty if it passed {@code limit} on this thread} */
    static <T> Optional<T> attempt(Duration limit, Supplier<T> work) {
        long[] deadline = DEADLINE.get();
        long outer = deadline[0];
        long now = System.nanoTime();
        deadline[0] = Math.min(outer, now + Math.max(0, limit.toNanos()));
        try {
            return Optional.of(work.get());
        } catch (Exceeded e) {
            if (outer != Long.MAX_VALUE && System.nanoTime() - outer > 0) throw e; // an enclosing deadline passed too
            return Optional.empty();
        } finally {
            deadline[0] = outer;
        }
    }

    /** Ends the current work by {@link Exceeded} if this thread's deadline has passed. */
    static void check() {
        long d = DEADLINE.get()[0];
        if (d != Long.MAX_VALUE && System.nanoTime() - d > 0) throw EXCEEDED;
    }
}
