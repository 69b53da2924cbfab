package io.rlvr4j.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.bench.CodeVerifierBenchmark;
import io.rlvr4j.app.bench.UpstreamAgreement;
import io.rlvr4j.app.bench.VerifierBenchmark;
import io.rlvr4j.app.bench.VerifierMix;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.pipeline.RolloutBenchmark;
import io.rlvr4j.app.pipeline.TrainBenchmark;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlvr4j bench}: benchmarks that print their figures as ratios against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints ratios against a baseline measured in the same run.",
        subcommands = {BenchCommand.VerifierBench.class, BenchCommand.CodeVerifierBench.class, BenchCommand.RolloutBench.class,
                BenchCommand.TrainBench.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The documented targets (docs/benchmarks.md), printed beside the measurements: the math verifier's
     * string/number comparisons per second per core and its symbolic p99.
     */
    static final double FAST_TARGET_PER_CORE = 150_000;
    static final double SYMBOLIC_P99_TARGET_MICROS = 5_000;

    /**
     * The documented targets of rollout engines: an engine other than the baseline at least twice its
     * tokens per second, at least 60% of its roofline at a real vocabulary (100,000 tokens or more),
     * and a weight sync of at most 5% of an RL step.
     */
    static final double ENGINE_RATIO_TARGET = 2.0;
    static final double ROOFLINE_SHARE_TARGET = 0.60;
    static final int REAL_VOCABULARY = 100_000;
    static final double SYNC_SHARE_TARGET = 0.05;

    /** The options of the benches of a model: the configuration, or a model directory in place of its model, and the output form. */
    static final class ModelOptions {

        @Option(names = "--config", paramLabel = "FILE", description = "A run configuration whose model, data, policy and RL stage to use.")
        Path config;

        @Option(names = "--model", paramLabel = "DIR", description = "A model directory (Hugging Face layout) instead of the configuration's model.")
        Path model;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting of the configuration (as for run).")
        List<String> sets = new ArrayList<>();

        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;

        /** {@return the configuration}, its {@code model} section replaced by {@code --model}'s directory where given */
        ConfigTree tree() {
            ConfigTree tree = RunCommand.configuration(config, sets);
            return model == null ? tree : tree.with("model", new LinkedHashMap<>(Map.of("path", model.toString())), "--model");
        }
    }

    @Command(name = "rollout", mixinStandardHelpOptions = true,
        header = "Compare the tokens per second of rollout engines on the same model and prompts.",
            description = {"Tokens per second of rollout engines on the same model, prompts and sampling",
                    "settings, in one run, as ratios to the first engine; weight-sync milliseconds",
                    "(the policy's weights lent to the engine's loadWeights, as the RL stage times",
                    "it) and the sync's share of one RL step of the configuration on that engine",
                    "(generation, the actor's log-probs, one optimiser step, the sync); and, for an engine that",
                    "can time its own matmul, its roofline on the model's weight shapes and the",
                    "share of it reached.",
                    "The model, data and sampling settings are those of the built-in default run",
                    "(a fresh model, its RL stage's prompts and temperature) unless --config names",
                    "another run configuration or --model another model directory. Every request",
                    "generates exactly --new-tokens per prompt (no stop token), so every engine does",
                    "the same work."},
            footer = {"", "Examples:", "  rlvr4j bench rollout", "  rlvr4j bench rollout --batch 64 --new-tokens 128 --json",
                    "  rlvr4j bench rollout --model ~/models/my-model --engine djl,onnx",
                    "  rlvr4j bench rollout --config my-run.yaml --engine onnx"})
    static final class RolloutBench implements Callable<Integer> {

        @Option(names = "--engine", split = ",", paramLabel = "NAME",
                description = "Rollout engines to measure, the first is the baseline of the ratios (default: every installed one,"
                        + " the policy backend's own first).")
        List<String> engines;

        @Option(names = "--batch", description = "Prompts per request (default: ${DEFAULT-VALUE}).")
        int batch = 32;

        @Option(names = "--new-tokens", description = "Tokens generated per prompt (default: ${DEFAULT-VALUE}).")
        int newTokens = 64;

        @Option(names = "--reps", description = "Timed requests per engine, after one warm-up; the engines take turns (default: ${DEFAULT-VALUE}).")
        int reps = 5;

        @CommandLine.Mixin
        ModelOptions options;

        @Override
        public Integer call() throws Exception {
            ConfigTree tree = options.tree();
            PluginRegistry registry = PluginRegistry.discover();
            List<String> names = engines != null ? engines : installedEngines(registry, tree);
            RolloutBenchmark.Result r = RolloutBenchmark.run(tree, registry, names, batch, newTokens, reps, System.err);
            if (options.json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(RolloutBenchmark.json(r)));
                return 0;
            }
            System.out.print(RolloutBenchmark.table(r) + targets(r));
            return 0;
        }

        /** {@return every installed rollout engine's name, the one of the configuration's policy backend's name first} */
        private static List<String> installedEngines(PluginRegistry registry, ConfigTree tree) {
            List<String> names = new ArrayList<>(registry.names(PluginRegistry.Spi.ROLLOUT_ENGINE));
            String backend = tree.settings().section("policy").string("backend", "djl");
            if (names.remove(backend)) names.addFirst(backend);
            return names;
        }

        private static String targets(RolloutBenchmark.Result r) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n  documented targets (docs/benchmarks.md)%n"));
            RolloutBenchmark.EngineResult base = r.engines().getFirst();
            for (RolloutBenchmark.EngineResult e : r.engines()) {
                if (e != base) {
                    double ratio = e.tokensPerSecond() / base.tokensPerSecond();
                    sb.append(target(e.engine() + " / " + base.engine() + " tokens/s (>= 2x)", String.format(Locale.ROOT, "%.2fx", ratio),
                            ratio >= ENGINE_RATIO_TARGET));
                    sb.append(target(e.engine() + " weight sync share of a step (<= 5%)", String.format(Locale.ROOT, "%.1f%%", 100 * e.syncShare()),
                            e.syncShare() <= SYNC_SHARE_TARGET));
                }
                if (r.vocabSize() >= REAL_VOCABULARY && !Double.isNaN(e.rooflineShare())) {
                    sb.append(target(e.engine() + " share of its roofline (>= 60%)", String.format(Locale.ROOT, "%.1f%%", 100 * e.rooflineShare()),
                            e.rooflineShare() >= ROOFLINE_SHARE_TARGET));
                }
            }
            return sb.toString();
        }
    }

    static String target(String what, String value, boolean met) {
        return String.format(Locale.ROOT, "  %-50s %10s   %s%n", what, value, met ? "met" : "MISSED");
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
        header = "Time one training step of the policy backend: milliseconds per step and tokens per second.",
            description = {"One RL training step of the configuration's policy backend on random token",
                    "sequences of --batch x (--prompt-tokens + --new-tokens): the clipped policy-gradient",
                    "loss averaged over the response tokens, backward, gradient clipping at 1.0 and an",
                    "AdamW step. The median of --steps timed steps after --warmup untimed ones, tokens",
                    "per second, and, for a backend that can time its own matmul, its roofline on the",
                    "model's weight shapes and the share of it reached; per --device.",
                    "The workload is that of the PyTorch eager reference benchmark",
                    "(shared/tools/ref/bench_ref.py), to be run on the same checkpoint beside it.",
                    "The model is that of the built-in default run unless --config names another run",
                    "configuration or --model a model directory."},
            footer = {"", "Examples:", "  rlvr4j bench train", "  rlvr4j bench train --model ~/models/my-model --batch 8 --json",
                    "  rlvr4j bench train --device cpu,cuda --batch 32 --prompt-tokens 16 --new-tokens 64"})
    static final class TrainBench implements Callable<Integer> {

        @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
        int batch = 32;

        @Option(names = "--prompt-tokens", description = "Prompt tokens of each sequence (default: ${DEFAULT-VALUE}).")
        int promptTokens = 16;

        @Option(names = "--new-tokens", description = "Response tokens of each sequence, the ones the loss counts (default: ${DEFAULT-VALUE}).")
        int newTokens = 64;

        @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup = 2;

        @Option(names = "--steps", description = "Timed steps; the median is reported (default: ${DEFAULT-VALUE}).")
        int steps = 10;

        @Option(names = "--device", split = ",", paramLabel = "DEVICE",
                description = "Values of the backend's device setting to measure in turn, e.g. cpu,cuda (default: the configuration's).")
        List<String> devices = new ArrayList<>();

        @CommandLine.Mixin
        ModelOptions options;

        @Override
        public Integer call() throws Exception {
            ConfigTree tree = options.tree();
            TrainBenchmark.Result r = TrainBenchmark.run(tree, PluginRegistry.discover(), devices, batch, promptTokens, newTokens, warmup, steps,
                    System.err);
            if (options.json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(TrainBenchmark.json(r)));
                return 0;
            }
            System.out.print(TrainBenchmark.table(r));
            return 0;
        }
    }

    @Command(name = "verifier", mixinStandardHelpOptions = true,
        header = "Measure a reward function's comparisons per second and latency against one thread.",
            description = {"Throughput and latency of a reward function's verifier: a cold first pass,",
                    "then, after a warm-up, comparisons per second and p50/p99 latency per deciding",
                    "layer on one thread (the baseline), then throughput on several threads.",
                    "The built-in workload is the math verifier's equivalence table (about 1,000",
                    "pairs, every layer, adversarial ones included), three in four answers at the",
                    "end of a worked solution inside \\boxed{}; --input measures your own cases",
                    "(the format of verify)."},
            footer = {"", "Examples:", "  rlvr4j bench verifier", "  rlvr4j bench verifier --seconds 10 --json",
                    "  rlvr4j bench verifier --input cases.jsonl --set time_limit_ms=500"})
    static final class VerifierBench implements Callable<Integer> {

        @Option(names = "--reward", description = "The reward function plugin (default: ${DEFAULT-VALUE}).")
        String reward = "math";

        @Option(names = "--input", paramLabel = "FILE", description = "A JSONL file of cases (as for verify) instead of the built-in workload.")
        Path input;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the reward function.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up before measuring (default: ${DEFAULT-VALUE}).")
        double warmup = 10;

        @Option(names = "--seconds", description = "Measurement on one thread, and again on --threads (default: ${DEFAULT-VALUE}).")
        double seconds = 5;

        @Option(names = "--threads", description = "Threads of the parallel measurement (default: the cores, ${DEFAULT-VALUE}).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (threads < 1) throw new ConfigException("--threads", "--threads must be at least 1");
            if (!(seconds > 0) || !(warmup >= 0)) throw new ConfigException("--seconds", "--seconds must be positive and --warmup not negative");
            long c0 = System.nanoTime();
            try (Verifier verifier = VerifyCases.verifier(reward, sets)) {
                return measure(verifier, (System.nanoTime() - c0) / 1e6);
            }
        }

        private int measure(Verifier verifier, double createMillis) throws IOException {
            List<VerifierMix.Task> tasks = input == null ? VerifierMix.builtIn(reward)
                    : VerifyCases.read(input, reward).stream().map(c -> new VerifierMix.Task(c.problem(), c.response())).toList();
            String workload = input == null ? "built-in equivalence table" : input.toString();
            PrintStream err = System.err;
            VerifierBenchmark.Report r = VerifierBenchmark.run(verifier, tasks, Duration.ofMillis((long) (warmup * 1000)),
                    Duration.ofMillis((long) (seconds * 1000)), threads, (phase, planned) -> err.printf(Locale.ROOT,
                            "bench verifier: %s%s%n", phase, planned.isZero() ? "" : " (" + planned.toMillis() / 1000.0 + " s)"));
            UpstreamAgreement upstream = input == null && reward.equals("math") ? UpstreamAgreement.measure(verifier, reward) : null;
            System.out.print(json ? json(r, upstream, createMillis, workload) : table(r, upstream, createMillis, workload));
            return 0;
        }

        private String json(VerifierBenchmark.Report r, UpstreamAgreement upstream, double createMillis, String workload) throws IOException {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("reward", reward).put("workload", workload).put("comparisons", r.tasks()).put("equal", r.equal());
            o.put("create_ms", createMillis).put("first_ms", r.firstMillis()).put("cold_per_s", r.coldPerSecond());
            o.put("warm_per_s", r.warmPerSecond()).put("warm_over_cold", r.warmOverCold());
            o.put("fast_per_s_per_core", r.fastPerSecond()).put("fast_target_ratio", r.fastPerSecond() / FAST_TARGET_PER_CORE);
            o.put("threads", r.threads()).put("parallel_per_s", r.parallelPerSecond()).put("scaling", r.scaling());
            VerifierBenchmark.LayerStats symbolic = r.layer("symbolic");
            if (symbolic != null) o.put("symbolic_p99_target_ratio", symbolic.p99Micros() / SYMBOLIC_P99_TARGET_MICROS);
            if (upstream != null) {
                ObjectNode u = o.putObject("upstream_agreement");
                u.put("cases", upstream.cases()).put("agree", upstream.agree()).put("share", upstream.share());
                upstream.falseEqual().forEach(u.putArray("false_equal")::add);
                upstream.missed().forEach(u.putArray("missed")::add);
            }
            ObjectNode layers = o.putObject("layers");
            for (VerifierBenchmark.LayerStats l : r.layers()) {
                layers.putObject(l.layer()).put("comparisons", l.comparisons()).put("per_s", l.perSecond())
                        .put("p50_us", l.p50Micros()).put("p99_us", l.p99Micros()).put("max_us", l.maxMicros());
            }
            return m.writeValueAsString(o) + System.lineSeparator();
        }

        private String table(VerifierBenchmark.Report r, UpstreamAgreement upstream, double createMillis, String workload) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "verifier %s on %s: %d comparisons (%d equal); Java %s, %d cores%n%n", reward,
                    workload, r.tasks(), r.equal(), Runtime.version().feature(), Runtime.getRuntime().availableProcessors()));
            sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "cold start", String.format(Locale.ROOT,
                    "verifier created in %.1f ms, first comparison %.1f ms, first pass %,.0f comparisons/s",
                    createMillis, r.firstMillis(), r.coldPerSecond())));
            sb.append(String.format(Locale.ROOT, "  %-22s %,.0f comparisons/s   (%.1fx the cold pass)%n", "warm, 1 thread (base)",
                    r.warmPerSecond(), r.warmOverCold()));
            sb.append(String.format(Locale.ROOT, "  %-22s %,.0f comparisons/s   (%.2fx one thread)%n%n", "warm, " + r.threads() + " threads",
                    r.parallelPerSecond(), r.scaling()));
            long total = r.layers().stream().mapToLong(VerifierBenchmark.LayerStats::comparisons).sum();
            sb.append(String.format(Locale.ROOT, "  %-10s %6s %18s %10s %10s %10s%n", "layer", "share", "comparisons/s/core",
                    "p50 µs", "p99 µs", "max µs"));
            for (VerifierBenchmark.LayerStats l : r.layers()) {
                sb.append(String.format(Locale.ROOT, "  %-10s %5.1f%% %,18.0f %10.1f %10.1f %10.1f%n", l.layer(),
                        100.0 * l.comparisons() / total, l.perSecond(), l.p50Micros(), l.p99Micros(), l.maxMicros()));
            }
            sb.append(String.format(Locale.ROOT, "%n  targets%n"));
            sb.append(String.format(Locale.ROOT, "  %-46s %,10.0f   %.2fx the target  %s%n",
                    "string/number comparisons/s/core (>= 150,000)", r.fastPerSecond(), r.fastPerSecond() / FAST_TARGET_PER_CORE,
                    r.fastPerSecond() >= FAST_TARGET_PER_CORE ? "met" : "MISSED"));
            VerifierBenchmark.LayerStats symbolic = r.layer("symbolic");
            if (symbolic != null) {
                sb.append(String.format(Locale.ROOT, "  %-46s %10.2f   %.2fx the limit   %s%n", "symbolic p99 ms (<= 5)",
                        symbolic.p99Micros() / 1000, symbolic.p99Micros() / SYMBOLIC_P99_TARGET_MICROS,
                        symbolic.p99Micros() <= SYMBOLIC_P99_TARGET_MICROS ? "met" : "MISSED"));
            }
            if (upstream != null) {
                sb.append(String.format(Locale.ROOT, "  %-46s %6d/%d   %.1f%% (>= 95%%)    %s%n", "agreement with upstream graders' cases",
                        upstream.agree(), upstream.cases(), 100 * upstream.share(), upstream.share() >= 0.95 ? "met" : "MISSED"));
                sb.append(String.format(Locale.ROOT, "  %-46s %10d   (0)              %s%n", "  called equal where upstream says different",
                        upstream.falseEqual().size(), upstream.falseEqual().isEmpty() ? "met" : "MISSED"));
                for (String c : upstream.falseEqual()) sb.append("    ").append(c).append(System.lineSeparator());
            }
            return sb.toString();
        }
    }

    /** The documented target of the code verifier: short programs per second in the GraalVM sandbox on 2 cores. */
    static final double CODE_TARGET_PER_S = 50;

    @Command(name = "verifier-code", mixinStandardHelpOptions = true,
        header = "Compare the programs per second of the code verifier's sandboxes.",
            description = {"Programs per second of the code verifier in each sandbox, on the same workload,",
                    "as ratios to the first sandbox. Per sandbox: the verifier is created (timed),",
                    "warmed up on the first programs, then judges every program once with enough",
                    "callers to keep all its judges busy; p50/p99 are per program. The verdicts of",
                    "the sandboxes are compared: any program they judge differently is listed.",
                    "The built-in workload is code_tasks' train split (short stdin/stdout programs,",
                    "three tests each, one in four wrong on purpose); --input measures your own",
                    "(the format of verify code). A sandbox that cannot start here (subprocess",
                    "without bubblewrap) is reported and skipped."},
            footer = {"", "Examples:", "  rlvr4j bench verifier-code", "  rlvr4j bench verifier-code --sandbox graalvm --programs 1000 --json",
                    "  rlvr4j bench verifier-code --set programs_per_context=1 --sandbox graalvm",
                    "  rlvr4j bench verifier-code --input problems.jsonl --set time_limit_ms=500"})
    static final class CodeVerifierBench implements Callable<Integer> {

        @Option(names = "--sandbox", split = ",", paramLabel = "NAME",
                description = "Sandboxes to measure, the first is the baseline of the ratios (default: ${DEFAULT-VALUE}).")
        List<String> sandboxes = new ArrayList<>(List.of("subprocess", "graalvm"));

        @Option(names = "--programs", description = "Programs of the built-in workload (default: ${DEFAULT-VALUE}).")
        int programs = 300;

        @Option(names = "--warmup", paramLabel = "PROGRAMS", description = "Programs judged before timing (default: ${DEFAULT-VALUE}).")
        int warmup = 60;

        @Option(names = "--callers", description = "Threads calling the verifier at once (default: twice the cores, ${DEFAULT-VALUE}).")
        int callers = 2 * Runtime.getRuntime().availableProcessors();

        @Option(names = "--input", paramLabel = "FILE", description = "A JSONL file of code problems (as for verify code) instead of the built-in workload.")
        Path input;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the code reward function, for every sandbox.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (programs < 1 || warmup < 0 || callers < 1) {
                throw new ConfigException("--programs", "--programs and --callers must be positive and --warmup not negative");
            }
            if (sandboxes.isEmpty()) throw new ConfigException("--sandbox", "--sandbox must name at least one sandbox");
            List<VerifierMix.Task> tasks = input == null ? CodeVerifierBenchmark.builtIn(programs)
                    : VerifyCases.read(input, "code").stream().map(c -> new VerifierMix.Task(c.problem(), c.response())).toList();
            String workload = input == null ? "built-in code_tasks" : input.toString();
            Map<String, CodeVerifierBenchmark.Result> results = new LinkedHashMap<>();
            Map<String, Double> created = new LinkedHashMap<>();
            Map<String, String> unavailable = new LinkedHashMap<>();
            for (String sandbox : sandboxes) {
                List<String> all = new ArrayList<>(sets);
                all.add("sandbox=" + sandbox);
                System.err.printf(Locale.ROOT, "bench verifier-code: %s: %d programs after %d to warm up%n", sandbox, tasks.size(), warmup);
                long c0 = System.nanoTime();
                Verifier verifier;
                try {
                    verifier = VerifyCases.verifier("code", all);
                } catch (ConfigException e) {
                    if (!e.getMessage().contains("sandbox")) throw e;
                    unavailable.put(sandbox, e.getMessage());
                    continue;
                }
                try (verifier) {
                    created.put(sandbox, (System.nanoTime() - c0) / 1e6);
                    results.put(sandbox, CodeVerifierBenchmark.run(verifier, tasks, warmup, callers));
                }
            }
            System.out.print(json ? codeJson(results, created, unavailable, workload, tasks.size())
                    : codeTable(results, created, unavailable, workload, tasks.size()));
            return results.isEmpty() ? 1 : 0;
        }

        private String codeTable(Map<String, CodeVerifierBenchmark.Result> results, Map<String, Double> created,
                                 Map<String, String> unavailable, String workload, int n) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "code verifier on %s: %d programs; Java %s, %d cores, %d callers%n%n", workload, n,
                    Runtime.version().feature(), Runtime.getRuntime().availableProcessors(), callers));
            sb.append(String.format(Locale.ROOT, "  %-11s %10s %11s %9s %9s %9s %8s %10s%n", "sandbox", "created ms", "programs/s",
                    "tests/s", "p50 ms", "p99 ms", "passed", "ratio"));
            CodeVerifierBenchmark.Result base = results.values().stream().findFirst().orElse(null);
            results.forEach((name, r) -> sb.append(String.format(Locale.ROOT, "  %-11s %10.0f %11.1f %9.1f %9.1f %9.1f %8d %9.2fx%n", name,
                    created.get(name), r.programsPerSecond(), r.testsPerSecond(), r.p50Millis(), r.p99Millis(), r.passed(),
                    r.programsPerSecond() / base.programsPerSecond())));
            unavailable.forEach((name, why) -> sb.append(String.format(Locale.ROOT, "  %-11s unavailable: %s%n", name, why)));
            if (base != null) {
                sb.append(String.format(Locale.ROOT, "%n  ratios are to %s, the first sandbox measured%n", results.keySet().iterator().next()));
            }
            results.forEach((name, r) -> {
                if (r == base) return;
                List<Integer> differ = CodeVerifierBenchmark.disagreements(base, r);
                sb.append(String.format(Locale.ROOT, "  verdicts of %s and %s: %d of %d alike%s%n", results.keySet().iterator().next(), name,
                        n - differ.size(), n, differ.isEmpty() ? "" : "; programs judged differently (index): "
                                + differ.subList(0, Math.min(10, differ.size()))));
            });
            CodeVerifierBenchmark.Result graalvm = results.getOrDefault("graalvm", results.get("graalpy"));
            if (graalvm != null) {
                sb.append(String.format(Locale.ROOT, "%n  target%n  %-46s %10.1f   %.2fx the target  %s%n",
                        "graalvm programs/s (>= 50 on 2 cores)", graalvm.programsPerSecond(), graalvm.programsPerSecond() / CODE_TARGET_PER_S,
                        graalvm.programsPerSecond() >= CODE_TARGET_PER_S ? "met" : "MISSED"));
            }
            return sb.toString();
        }

        private String codeJson(Map<String, CodeVerifierBenchmark.Result> results, Map<String, Double> created,
                                Map<String, String> unavailable, String workload, int n) throws IOException {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("workload", workload).put("programs", n).put("callers", callers).put("cores", Runtime.getRuntime().availableProcessors());
            ObjectNode each = o.putObject("sandboxes");
            CodeVerifierBenchmark.Result base = results.values().stream().findFirst().orElse(null);
            results.forEach((name, r) -> each.putObject(name).put("created_ms", created.get(name)).put("programs_per_s", r.programsPerSecond())
                    .put("tests_per_s", r.testsPerSecond()).put("p50_ms", r.p50Millis()).put("p99_ms", r.p99Millis())
                    .put("passed", r.passed()).put("ratio", r.programsPerSecond() / base.programsPerSecond())
                    .put("disagreements", CodeVerifierBenchmark.disagreements(base, r).size()));
            unavailable.forEach((name, why) -> each.putObject(name).put("unavailable", why));
            if (results.size() > 1) {
                List<CodeVerifierBenchmark.Result> rs = List.copyOf(results.values());
                o.put("ratio", rs.getLast().programsPerSecond() / rs.getFirst().programsPerSecond());
            }
            CodeVerifierBenchmark.Result graalvm = results.getOrDefault("graalvm", results.get("graalpy"));
            if (graalvm != null) o.put("target_ratio", graalvm.programsPerSecond() / CODE_TARGET_PER_S);
            return m.writeValueAsString(o) + System.lineSeparator();
        }
    }
}
