package io.rlvr4j.app.bench;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Measures the code verifier on a workload of short programs: for one sandbox, a warm-up, then one
 * timed pass over every program with enough callers to keep all its judges busy. Run it for several
 * sandboxes on the same workload (the first is the baseline of the ratios) and compare the verdicts:
 * sandboxes that judge differently are reported, not averaged away.
 *
 * <p>The built-in workload is {@code code_tasks}' train split (seed 0, three stdin/stdout tests a
 * program), its reference solutions as responses, one in four of them wrong on purpose, so that both
 * passing and failing programs are timed.
 */
public final class CodeVerifierBenchmark {

    private CodeVerifierBenchmark() {}

    /**
     * The figures of one sandbox.
     *
     * @param programs programs judged in the timed pass
     * @param tests the tests they ran (a failing program may stop at its first failure)
     * @param seconds the timed pass's wall time
     * @param p50Millis median latency of a program (as the training loop sees it)
     * @param p99Millis 99th-percentile latency
     * @param passed programs that passed every test
     * @param verdicts each program's outcome, in workload order, for comparing sandboxes
     */
    public record Result(int programs, long tests, double seconds, double p50Millis, double p99Millis, int passed,
                         List<RewardResult.Outcome> verdicts) {

        public double programsPerSecond() {
            return programs / seconds;
        }

        public double testsPerSecond() {
            return tests / seconds;
        }
    }

    /** {@return the built-in workload}: {@code count} programs of {@code code_tasks}' train split, a quarter of them wrong */
    public static List<VerifierMix.Task> builtIn(int count) {
        DataSource source = PluginRegistry.discover().select(DataSource.class,
                new Settings("bench", Map.of("source", "code_tasks"), Path.of(""), k -> "built-in"), "source", null);
        List<VerifierMix.Task> out = new ArrayList<>(count);
        try (ProblemStream s = source.open(Settings.of(Map.of("seed", 0, "buggy_fraction", 0.25, "tests", 3)))) {
            for (int i = 0; i < count; i++) {
                Problem p = s.next();
                out.add(new VerifierMix.Task(p, "Here is my program.\n" + p.metadata().get("solution")));
            }
        }
        return out;
    }

    /**
     * Judges the first {@code warmup} programs (untimed), then every program once, {@code callers} at a time.
     *
     * @param callers threads calling {@link Verifier#score}; more than the verifier's judges keeps them busy
     */
    public static Result run(Verifier verifier, List<VerifierMix.Task> tasks, int warmup, int callers) {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            judge(verifier, tasks.subList(0, Math.min(warmup, tasks.size())), pool);
            long t0 = System.nanoTime();
            List<Timed> timed = judge(verifier, tasks, pool);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] nanos = timed.stream().mapToLong(Timed::nanos).sorted().toArray();
            long tests = 0;
            int passed = 0;
            List<RewardResult.Outcome> verdicts = new ArrayList<>(timed.size());
            for (Timed t : timed) {
                String run = t.result().details().get("failed_test");
                String total = t.result().details().getOrDefault("total_tests", "0");
                // tests run: all of them when every one passed, else up to and including the first failure
                tests += run == null ? Long.parseLong(total) : Long.parseLong(run) + 1;
                if (t.result().outcome() == RewardResult.Outcome.CORRECT) passed++;
                verdicts.add(t.result().outcome());
            }
            return new Result(tasks.size(), tests, seconds, VerifierBenchmark.percentile(nanos, 0.50) / 1e6,
                    VerifierBenchmark.percentile(nanos, 0.99) / 1e6, passed, verdicts);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Timed(RewardResult result, long nanos) {}

    private static List<Timed> judge(Verifier verifier, List<VerifierMix.Task> tasks, ExecutorService pool) {
        List<Future<Timed>> futures = new ArrayList<>(tasks.size());
        for (VerifierMix.Task t : tasks) {
            futures.add(pool.submit(() -> {
                long s = System.nanoTime();
                RewardResult r = verifier.score(t.problem(), t.response());
                return new Timed(r, System.nanoTime() - s);
            }));
        }
        List<Timed> out = new ArrayList<>(futures.size());
        for (Future<Timed> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the verifier failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    /** {@return the workload indices where two sandboxes judged differently} */
    public static List<Integer> disagreements(Result a, Result b) {
        int n = Math.min(a.verdicts().size(), b.verdicts().size());
        return IntStream.range(0, n).filter(i -> a.verdicts().get(i) != b.verdicts().get(i)).boxed().toList();
    }
}
