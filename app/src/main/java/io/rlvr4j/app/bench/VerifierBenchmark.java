package io.rlvr4j.app.bench;

import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures a verifier on a workload: the cold first pass, then (after a warm-up) latency per deciding
 * layer and throughput on one thread, then throughput on several threads. The one-thread figures are
 * the baseline the others are divided by, all in the same JVM and run.
 *
 * <p>Latency is the wall time of {@link Verifier#score} as the training loop sees it: extraction,
 * every layer tried, and the hand-over to the time-limited worker where a layer runs there. The layer
 * is the verifier's {@code layer} detail ({@code no_answer} when none was found).
 */
public final class VerifierBenchmark {

    /** The layers that decide by text and exact numbers: the bulk of RL rewards, with their own throughput target. */
    public static final Set<String> FAST_LAYERS = Set.of("string", "choice", "number");
    /** The math verifier's layers, cheapest first: the order of the report. */
    private static final List<String> LAYER_ORDER = List.of("string", "choice", "number", "structure", "numeric", "symbolic",
            "timeout", "no_answer");

    private VerifierBenchmark() {}

    /** Latency and throughput of the comparisons one layer decided, on one thread. */
    public record LayerStats(String layer, long comparisons, double perSecond, double p50Micros, double p99Micros, double maxMicros) {}

    /**
     * The figures of one run.
     *
     * @param tasks the workload's size
     * @param firstMillis the first comparison in this JVM (class loading and JIT included)
     * @param coldPerSecond throughput of the first pass over the workload, one thread
     * @param warmPerSecond throughput after warm-up, one thread: the baseline
     * @param layers per deciding layer, after warm-up, one thread
     * @param fastPerSecond comparisons per second on one core over the {@link #FAST_LAYERS}
     * @param threads threads of the parallel measurement
     * @param parallelPerSecond throughput on {@code threads} threads
     * @param equal how many of the workload's comparisons were judged equal
     */
    public record Report(int tasks, double firstMillis, double coldPerSecond, double warmPerSecond, List<LayerStats> layers,
                         double fastPerSecond, int threads, double parallelPerSecond, int equal) {

        /** {@return warm over cold throughput} */
        public double warmOverCold() {
            return warmPerSecond / coldPerSecond;
        }

        /** {@return parallel over one-thread throughput} */
        public double scaling() {
            return parallelPerSecond / warmPerSecond;
        }

        /** {@return the stats of {@code layer}}, or {@code null} if no comparison of the workload ended there */
        public LayerStats layer(String layer) {
            return layers.stream().filter(l -> l.layer().equals(layer)).findFirst().orElse(null);
        }
    }

    /** Progress of the phases, for a console. */
    public interface Listener {
        void phase(String name, Duration planned);
    }

    /** Runs the benchmark: cold pass, warm-up for {@code warmup}, then {@code measure} on one and on {@code threads} threads. */
    public static Report run(Verifier verifier, List<VerifierMix.Task> tasks, Duration warmup, Duration measure, int threads,
                             Listener listener) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("the workload is empty");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        int n = tasks.size();

        listener.phase("cold pass", Duration.ZERO);
        long c0 = System.nanoTime();
        RewardResult first = score(verifier, tasks.get(0));
        double firstMillis = (System.nanoTime() - c0) / 1e6;
        int equal = first.correct() ? 1 : 0;
        for (int i = 1; i < n; i++) equal += score(verifier, tasks.get(i)).correct() ? 1 : 0;
        double coldPerSecond = n / ((System.nanoTime() - c0) / 1e9);

        listener.phase("warm-up", warmup);
        long until = System.nanoTime() + warmup.toNanos();
        for (int i = 0; System.nanoTime() < until || i % n != 0; i++) score(verifier, tasks.get(i % n));

        listener.phase("one thread", measure);
        Measurement one = measure(verifier, tasks, measure, 1);
        List<LayerStats> layers = new ArrayList<>();
        long fastCount = 0;
        long fastNanos = 0;
        for (Map.Entry<String, LongList> e : one.nanosByLayer().entrySet()) {
            long[] sorted = e.getValue().sorted();
            long total = Arrays.stream(sorted).sum();
            layers.add(new LayerStats(e.getKey(), sorted.length, sorted.length / (total / 1e9),
                    percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, sorted[sorted.length - 1] / 1e3));
            if (FAST_LAYERS.contains(e.getKey())) {
                fastCount += sorted.length;
                fastNanos += total;
            }
        }
        layers.sort(Comparator.comparingInt(l -> LAYER_ORDER.indexOf(l.layer()) < 0 ? LAYER_ORDER.size() : LAYER_ORDER.indexOf(l.layer())));
        double fastPerSecond = fastNanos == 0 ? Double.NaN : fastCount / (fastNanos / 1e9);

        listener.phase(threads + " threads", measure);
        Measurement many = measure(verifier, tasks, measure, threads);
        return new Report(n, firstMillis, coldPerSecond, one.perSecond(), List.copyOf(layers), fastPerSecond, threads,
                many.perSecond(), equal);
    }

    /** Latencies by layer and the throughput of {@code threads} threads judging the workload for {@code time}. */
    private record Measurement(Map<String, LongList> nanosByLayer, double perSecond) {}

    /**
     * Each thread walks the workload from its own offset until the time is up, timing every comparison;
     * one thread or several run the same loop, so their throughputs compare.
     */
    private static Measurement measure(Verifier verifier, List<VerifierMix.Task> tasks, Duration time, int threads) {
        long t0 = System.nanoTime();
        long until = t0 + time.toNanos();
        List<Map<String, LongList>> perThread = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Map<String, LongList>>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * tasks.size() / threads;
                running.add(pool.submit(() -> {
                    Map<String, LongList> mine = new HashMap<>();
                    for (int i = offset; System.nanoTime() < until; i++) {
                        long start = System.nanoTime();
                        RewardResult r = score(verifier, tasks.get(i % tasks.size()));
                        long took = System.nanoTime() - start;
                        mine.computeIfAbsent(r.details().getOrDefault("layer", "no_answer"), k -> new LongList()).add(took);
                    }
                    return mine;
                }));
            }
            for (Future<Map<String, LongList>> f : running) perThread.add(f.get());
        } catch (Exception e) {
            throw new IllegalStateException("a benchmark thread failed: " + e, e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, LongList> merged = new LinkedHashMap<>();
        long done = 0;
        for (Map<String, LongList> m : perThread) {
            for (Map.Entry<String, LongList> e : m.entrySet()) {
                merged.computeIfAbsent(e.getKey(), k -> new LongList()).addAll(e.getValue());
                done += e.getValue().size;
            }
        }
        return new Measurement(merged, done / seconds);
    }

    private static RewardResult score(Verifier verifier, VerifierMix.Task task) {
        return verifier.score(task.problem(), task.response());
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A growable array of longs: a benchmark records millions of latencies without boxing them. */
    private static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.size; i++) add(other.values[i]);
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
