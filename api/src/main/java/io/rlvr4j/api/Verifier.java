package io.rlvr4j.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Judges responses to problems. Implementations must be thread-safe: the loop scores many rollouts
 * in parallel. Scoring must not throw on any response, however malformed: a response that cannot
 * be judged is a {@link RewardResult} with an outcome that says why.
 *
 * @see RewardFunction
 */
public interface Verifier extends AutoCloseable {

    /** {@return whether this verifier judges problems of {@code domain}} */
    boolean supports(String domain);

    /** {@return the verdict on {@code response} to {@code problem}} */
    RewardResult score(Problem problem, String response);

    /**
     * Scores asynchronously on {@code executor}.
     *
     * @implSpec The default runs {@link #score} on the executor; verifiers with their own pools or
     *     batching override it.
     */
    default CompletableFuture<RewardResult> scoreAsync(Problem problem, String response, Executor executor) {
        return CompletableFuture.supplyAsync(() -> score(problem, response), executor);
    }

    @Override
    default void close() {}
}
