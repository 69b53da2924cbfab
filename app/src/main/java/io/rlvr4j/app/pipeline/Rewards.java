package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The run's verifiers, chosen per problem by domain, scoring in parallel on a bounded pool with a
 * time limit per response. A verifier that throws or overruns yields an {@code ERROR} or
 * {@code TIMEOUT} verdict with reward 0 instead of stopping the run.
 */
final class Rewards implements AutoCloseable {

    /** A configured verifier and the name it was configured by. */
    record Named(String name, Verifier verifier) {}

    private final List<Named> verifiers;
    private final ExecutorService pool;
    private final long timeoutMillis;

    Rewards(List<Named> verifiers, int workers, double timeoutSeconds) {
        this.verifiers = List.copyOf(verifiers);
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "reward");
            t.setDaemon(true);
            return t;
        });
        this.timeoutMillis = (long) (timeoutSeconds * 1000);
    }

    /** {@return the verifier for {@code problem}'s domain} */
    Verifier verifierFor(Problem problem) {
        for (Named n : verifiers) {
            if (n.verifier().supports(problem.domain())) return n.verifier();
        }
        List<String> names = verifiers.stream().map(Named::name).toList();
        throw new IllegalStateException("No reward function handles domain '" + problem.domain() + "' (problem "
                + problem.id() + "). Configured under rewards: " + (names.isEmpty() ? "none" : String.join(", ", names))
                + ". Add a reward function for that domain or set the data set's domain.");
    }

    /** {@return the verdicts on {@code responses.get(i)} to {@code problems.get(i)}, in order} */
    List<RewardResult> scoreAll(List<Problem> problems, List<String> responses) {
        List<CompletableFuture<RewardResult>> futures = new ArrayList<>(problems.size());
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            Verifier v = verifierFor(p);
            String response = responses.get(i);
            CompletableFuture<RewardResult> f;
            try {
                f = v.scoreAsync(p, response, pool);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            futures.add(f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .exceptionally(e -> failed(e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e)));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static RewardResult failed(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) {
            return new RewardResult(0, 0, RewardResult.Outcome.TIMEOUT, Map.of("error", "verifier time limit exceeded"));
        }
        return new RewardResult(0, 0, RewardResult.Outcome.ERROR, Map.of("error", String.valueOf(e)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (Named n : verifiers) n.verifier().close();
    }
}
