package io.rlvr4j.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.pipeline.Progress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rlvr4j verify REWARD}: judges answers with a reward function plugin, outside training: one
 * pair from the command line, or a JSONL file in parallel, with a verdict per line and a summary.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Judge answers with a reward function plugin: one pair, or a JSONL file in parallel.",
        description = {"Judge answers with a reward function plugin: one pair (--gold, --pred) or a",
                "JSONL file (--input). Input lines need the reference answer (`gold` or",
                "`answer`) and the answer or whole response (`pred` or `response`); `domain`",
                "(default: the reward's name) and any other fields are passed to the verifier.",
                "Each output line repeats its input and adds equal, reward, outcome and the",
                "verifier's details (for math: extracted, rule, layer, micros, reason).", "",
                "Code problems (rlvr4j verify code) carry tests instead of a reference answer:",
                "`inputs` and `outputs` (stdin/stdout; with `checker`, a Python special judge),",
                "or HumanEval's `prompt`, `test` and",
                "`entry_point`; the program is `code` or `completion` (or a whole `response`",
                "with a code block). Their lines get passed, passed_tests, total_tests, status,",
                "error and millis."},
        footer = {"", "Examples:",
                "  rlvr4j verify math --gold '\\frac12' --pred 'The answer is $0.5$.'",
                "  rlvr4j verify math --input cases.jsonl --output verdicts.jsonl --set scheme=simplerl"})
public final class VerifyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DETAIL_ORDER = List.of("extracted", "expected", "rule", "layer", "passed_tests", "total_tests",
            "failed_test", "status", "got", "error", "reason", "micros", "millis");

    @Parameters(index = "0", paramLabel = "REWARD", description = "The reward function plugin, e.g. math (see `rlvr4j plugins`).")
    String reward;

    @Option(names = "--input", paramLabel = "FILE", description = "A JSONL file of cases.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write one verdict per input line (JSONL).")
    Path output;

    @Option(names = "--gold", description = "The reference answer of a single case.")
    String gold;

    @Option(names = "--pred", description = "The answer (or whole response) of a single case.")
    String pred;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the reward function, e.g. --set time_limit_ms=500.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--threads", description = "Cases judged at once. Default: the number of cores (${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--sandbox", description = "Where code runs (code verifier): graalvm (in-process GraalPy or GraalJS; "
            + "also called graalpy) or subprocess (CPython under bubblewrap). Same as --set sandbox=NAME.")
    String sandbox;

    @Option(names = "--language", description = "The language of the programs (code verifier): python or javascript. "
            + "Same as --set language=NAME.")
    String language;

    @Override
    public Integer call() throws IOException {
        if ((input == null) == (gold == null && pred == null)) {
            throw new ConfigException("verify", "give either --input FILE or both --gold and --pred");
        }
        if (input == null && (gold == null || pred == null)) throw new ConfigException("verify", "give both --gold and --pred");
        if (threads < 1) throw new ConfigException("--threads", "--threads must be at least 1");
        List<String> settings = new ArrayList<>(sets);
        if (sandbox != null) settings.add("sandbox=" + sandbox);
        if (language != null) settings.add("language=" + language);
        try (Verifier verifier = VerifyCases.verifier(reward, settings)) {
            return judge(verifier);
        }
    }

    private int judge(Verifier verifier) throws IOException {
        PrintStream out = System.out;
        if (input == null) {
            RewardResult r = verifier.score(new Problem("cli", reward, "", List.of(), gold, Map.of()), pred);
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(line(JSON.createObjectNode(), r, false)));
            return r.correct() ? 0 : 1;
        }
        List<VerifyCases.Case> cases = VerifyCases.read(input, reward);
        RewardResult[] results = new RewardResult[cases.size()];
        long t0 = System.nanoTime();
        try (Progress progress = new Progress("verify " + reward, cases.size(), System.err);
             ForkJoinPool pool = new ForkJoinPool(threads)) {
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            pool.submit(() -> IntStream.range(0, cases.size()).parallel().forEach(i -> {
                results[i] = verifier.score(cases.get(i).problem(), cases.get(i).response());
                long d = done.incrementAndGet();
                if (d % 64 == 0 || d == cases.size()) {
                    synchronized (progress) {
                        progress.step(d, Map.of());
                    }
                }
            })).join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (output != null) write(cases, results);
        out.print(summary(results, seconds, cases.stream().allMatch(c -> VerifyCases.hasTests(c.source()))));
        return 0;
    }

    /** A verdict line: {@code passed} for programs judged by tests, {@code equal} for answers. */
    private static ObjectNode line(ObjectNode base, RewardResult r, boolean program) {
        base.put(program ? "passed" : "equal", r.correct());
        base.put("reward", r.reward());
        base.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
        // details in a stable order: the usual ones first, then the rest by name
        List<String> keys = new ArrayList<>(r.details().keySet());
        keys.sort(java.util.Comparator.comparingInt((String k) -> {
            int i = DETAIL_ORDER.indexOf(k);
            return i < 0 ? DETAIL_ORDER.size() : i;
        }).thenComparing(k -> k));
        for (String k : keys) {
            String v = r.details().get(k);
            if (v.matches("\\d{1,18}")) base.put(k, Long.parseLong(v));
            else base.put(k, v);
        }
        return base;
    }

    private void write(List<VerifyCases.Case> cases, RewardResult[] results) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (int i = 0; i < results.length; i++) {
                ObjectNode source = cases.get(i).source();
                w.write(JSON.writeValueAsString(line(source.deepCopy(), results[i], VerifyCases.hasTests(source))));
                w.newLine();
            }
        }
    }

    private static String summary(RewardResult[] results, double seconds, boolean programs) {
        long equal = Arrays.stream(results).filter(RewardResult::correct).count();
        long errors = Arrays.stream(results).filter(r -> r.outcome() == RewardResult.Outcome.ERROR
                || r.outcome() == RewardResult.Outcome.TIMEOUT).count();
        long[] micros = Arrays.stream(results).mapToLong(VerifyCommand::micros).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        String f = "  %-12s %s%n";
        sb.append(String.format(Locale.ROOT, f, "cases", results.length));
        sb.append(String.format(Locale.ROOT, f, programs ? "passed" : "equal", equal));
        sb.append(String.format(Locale.ROOT, f, programs ? "failed" : "not equal", results.length - equal - errors));
        sb.append(String.format(Locale.ROOT, f, "errors", errors + " (time-outs and verifier errors)"));
        sb.append(String.format(Locale.ROOT, f, "throughput", String.format(Locale.ROOT, "%.0f cases/s", results.length / seconds)));
        long p50 = micros[micros.length / 2];
        long p99 = micros[Math.min(micros.length - 1, (int) (micros.length * 0.99))];
        sb.append(String.format(Locale.ROOT, f, "latency", p99 >= 100_000
                ? String.format(Locale.ROOT, "p50 %d ms, p99 %d ms", p50 / 1000, p99 / 1000)
                : String.format(Locale.ROOT, "p50 %d µs, p99 %d µs", p50, p99)));
        return sb.toString();
    }

    /** {@return the time a verdict took}: the math verifier reports micros, the code verifier millis */
    private static long micros(RewardResult r) {
        String micros = r.details().get("micros");
        if (micros != null && micros.matches("\\d{1,18}")) return Long.parseLong(micros);
        String millis = r.details().get("millis");
        return millis != null && millis.matches("\\d{1,15}") ? Long.parseLong(millis) * 1000 : 0;
    }
}
