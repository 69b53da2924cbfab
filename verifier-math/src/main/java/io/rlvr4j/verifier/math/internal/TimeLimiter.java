package io.rlvr4j.verifier.math.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a computation on a worker thread and gives up on it after a time limit: no signals, no shared
 * state, and a stuck worker is simply abandoned (interrupted, and left to finish on its own: the
 * comparisons it runs are bounded, and MathVerifier gives them a {@link Deadline} of the same limit,
 * so they end soon after the caller stops waiting). Platform daemon threads, not virtual ones: a
 * CPU-bound virtual thread that never yields would pin its carrier.
 */
final class TimeLimiter implements AutoCloseable {

    /** At most this many comparisons run at once; more wait in their callers, not in a queue. */
    static final int MAX_WORKERS = 256;

    private final ThreadPoolExecutor workers;

    TimeLimiter() {
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "math-verifier-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * {@return the result of {@code work}, or empty if it took longer than {@code limit}}
     *
     * @throws RuntimeException what {@code work} threw
     */
    <T> Optional<T> call(Supplier<T> work, Duration limit) {
        Future<T> f;
        try {
            f = workers.submit(work::get);
        } catch (RejectedExecutionException busy) {
            return Optional.ofNullable(work.get()); // every worker busy: the caller's thread does it
        }
        try {
            return Optional.ofNullable(f.get(limit.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            f.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
