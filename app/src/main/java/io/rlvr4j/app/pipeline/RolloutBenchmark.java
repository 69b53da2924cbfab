package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.ModelShape;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rollout engines compared on one model, one batch of prompts and one set of sampling settings, in
 * one process: the model of a run configuration (the default run's fresh model unless another is
 * given), prompts from its RL stage's data, the stage's temperature, top-p and top-k, and a fixed
 * number of new tokens with no stop token, so every engine does the same work.
 *
 * <p>Per engine: one untimed warm-up request, then {@code reps} timed requests, the engines taking
 * turns request by request (a slow spell of a shared machine then falls on all of them, not on one);
 * tokens per second are an engine's generated tokens over its summed wall time. Weight sync is
 * timed as the RL stage times it ({@code lendWeights} of the policy to the engine's {@code loadWeights}). Its share of a step is taken
 * against a step of the configuration's RL stage measured here on that engine: generating
 * {@code prompts_per_step x n} samples with the stage's token limit and stop tokens, the update's
 * main costs (the actor's log-probs of the samples, one optimiser step on them), and the sync.
 */
public final class RolloutBenchmark {

    private RolloutBenchmark() {}

    /** One engine's figures. */
    public record EngineResult(String engine, double tokensPerSecond, long tokens, double seconds, double syncMillis,
                               double stepSeconds, double syncShare, Optional<Roofline> roofline, double rooflineShare) {}

    /** The benchmark's figures: the engines in the order measured, the first the baseline. */
    public record Result(String model, int vocabSize, int batch, int newTokens, int reps, List<EngineResult> engines) {}

    /**
     * Runs the benchmark.
     *
     * @param engines rollout engine names, the first the baseline of the ratios
     */
    public static Result run(ConfigTree tree, PluginRegistry registry, List<String> engines, int batch, int newTokens, int reps,
                             PrintStream log) throws IOException {
        if (batch < 1 || newTokens < 1 || reps < 1) throw new ConfigException("--batch", "--batch, --new-tokens and --reps must be at least 1");
        if (engines.isEmpty()) throw new ConfigException("--engine", "--engine must name at least one rollout engine");
        Settings root = tree.settings();
        Settings policyS = root.section("policy");
        PolicyBackend backend = registry.select(PolicyBackend.class, policyS, "backend", "djl");
        long seed = root.section("run").longValue("seed", 0);
        Settings rl = root.sectionList("stages").stream().filter(s -> s.string("type", "").equals("rl")).findFirst()
                .orElseThrow(() -> root.missing("stages", "an rl stage, whose data and sampling settings the benchmark uses"));
        SamplingParams sampling = SamplingConfig.read(rl.section("sampling"), seed).configured();
        double temperature = sampling.temperature();
        double topP = sampling.topP();
        int topK = sampling.topK();
        int stepTokens = sampling.maxNewTokens();
        int perStep = rl.integer("prompts_per_step", 16) * rl.integer("n", 8);
        ModelSetup model = ModelSetup.from(root.section("model"), registry);
        PromptFormat format = PromptFormat.read(root.section("model"));

        model.check();
        Path tmp = Files.createTempDirectory("rlvr4j-bench-rollout");
        List<EngineResult> results = new ArrayList<>();
        String described;
        int vocab;
        try (DataSets data = new DataSets(root.section("data"), registry)) {
            Path initial = Run.initialModel(model, backend, policyS, seed, tmp, log);
            ModelShape shape = model.format.shape(initial).orElse(null);
            vocab = shape == null ? 0 : shape.vocabSize();
            ProblemStream stream = data.open(rl, "data");
            List<Problem> problems = stream.next(Math.max(batch, perStep));
            try (Policy policy = backend.open(new PolicySpec(initial, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(1e-4), seed),
                    policyS)) {
                described = policy.describe();
                List<int[]> encoded = problems.stream().map(p -> format.encode(p, policy.tokenizer())).toList();
                List<int[]> prompts = new ArrayList<>();
                for (int i = 0; i < batch; i++) prompts.add(encoded.get(i % encoded.size()));
                List<int[]> stepPrompts = new ArrayList<>();
                for (int i = 0; i < perStep; i++) stepPrompts.add(encoded.get(i % encoded.size()));
                SamplingParams fixed = new SamplingParams(temperature, topP, topK, newTokens, Set.of(), seed);
                SamplingParams stepParams = null;
                List<Sampler> samplers = new ArrayList<>();
                try {
                    List<RolloutEngine> plugins = new ArrayList<>();
                    for (String name : engines) {
                        RolloutEngine engine = registry.select(RolloutEngine.class, Settings.of(Map.of("engine", name)), "engine", null);
                        plugins.add(engine);
                        Sampler sampler = engine.open(initial, root.section("rollout"));
                        samplers.add(sampler);
                        policy.lendWeights(sampler::loadWeights);
                        sampler.generate(prompts, fixed); // warm-up
                        if (stepParams == null) {
                            stepParams = new SamplingParams(temperature, topP, topK, stepTokens, sampler.tokenizer().stopTokenIds(), seed);
                        }
                    }
                    log.printf("bench rollout: %s: %d prompts x %d new tokens, %d timed requests each, taken in turn%n",
                            String.join(", ", engines), batch, newTokens, reps);
                    // the engines take turns request by request, so that a slow spell of the machine falls on all of them
                    long[] tokens = new long[engines.size()];
                    double[] seconds = new double[engines.size()];
                    for (int r = 0; r < reps; r++) {
                        for (int e = 0; e < engines.size(); e++) {
                            long t0 = System.nanoTime();
                            for (Generation g : samplers.get(e).generate(prompts, fixed.withSeed(seed + r + 1))) tokens[e] += g.tokens().length;
                            seconds[e] += (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    for (int e = 0; e < engines.size(); e++) {
                        Sampler sampler = samplers.get(e);
                        double sync = 0;
                        for (int r = 0; r < reps; r++) {
                            long s0 = System.nanoTime();
                            policy.lendWeights(sampler::loadWeights);
                            sync += (System.nanoTime() - s0) / 1e6;
                        }
                        sync /= reps;
                        double step = step(policy, sampler, stepPrompts, stepParams);
                        double perSecond = tokens[e] / seconds[e];
                        Optional<Roofline> roofline = shape == null ? Optional.empty()
                                : Roofline.measure(plugins.get(e), root.section("rollout"), shape, batch, 3);
                        results.add(new EngineResult(engines.get(e), perSecond, tokens[e], seconds[e], sync, step + sync / 1e3,
                                sync / 1e3 / (step + sync / 1e3), roofline, roofline.map(x -> x.secondsPerToken() * perSecond).orElse(Double.NaN)));
                    }
                } finally {
                    for (Sampler sampler : samplers) sampler.close();
                }
            }
        } finally {
            Checkpoints.deleteTree(tmp);
        }
        return new Result(described, vocab, batch, newTokens, reps, results);
    }

    /** {@return seconds of one RL step's generation and update costs on {@code sampler}} (the sync excluded) */
    private static double step(Policy policy, Sampler sampler, List<int[]> prompts, SamplingParams params) {
        long t0 = System.nanoTime();
        List<TokenSequence> seqs = sampler.generate(prompts, params).stream().map(Generation::sequence).toList();
        policy.logProbs(seqs);
        policy.train(SupervisedObjective.tokenMean(seqs));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** {@return the figures as a table}, ratios to the first engine */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "rollout engines on %s: %d prompts x %d new tokens, %d requests; Java %d, %d cores%n%n",
                r.model(), r.batch(), r.newTokens(), r.reps(), Runtime.version().feature(), Runtime.getRuntime().availableProcessors()));
        sb.append(String.format(java.util.Locale.ROOT, "  %-8s %12s %9s %14s %12s %11s %14s %9s%n", "engine", "tokens/s", "ratio", "weight sync ms",
                "step s", "sync share", "roofline GF/s", "share"));
        EngineResult base = r.engines().getFirst();
        for (EngineResult e : r.engines()) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-8s %12.0f %8.2fx %14.1f %12.2f %10.1f%% %14s %9s%n", e.engine(), e.tokensPerSecond(),
                    e.tokensPerSecond() / base.tokensPerSecond(), e.syncMillis(), e.stepSeconds(), 100 * e.syncShare(),
                    e.roofline().map(x -> String.format(java.util.Locale.ROOT, "%.1f", x.tokenFlopsPerSecond() / 1e9)).orElse("-"),
                    Double.isNaN(e.rooflineShare()) ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * e.rooflineShare())));
        }
        sb.append(String.format(java.util.Locale.ROOT, "%n  ratios are to %s, measured in this run; a step is one of the configuration's RL%n"
                + "  stage on that engine (generation, the actor's log-probs and one optimiser step, the sync); the roofline%n"
                + "  is the engine's own matmul on the model's weight shapes at %d rows, and the share is the time those%n"
                + "  products would take at its speed over the measured time per token%n", base.engine(), r.batch()));
        return sb.toString();
    }

    /** {@return the figures as one JSON-ready map}: per engine, and for two engines the ratio of the second to the first */
    public static Map<String, Object> json(Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model());
        o.put("vocab_size", r.vocabSize());
        o.put("batch", r.batch());
        o.put("new_tokens", r.newTokens());
        o.put("reps", r.reps());
        Map<String, Object> each = new LinkedHashMap<>();
        for (EngineResult e : r.engines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tokens_per_s", e.tokensPerSecond());
            m.put("weight_sync_ms", e.syncMillis());
            m.put("step_s", e.stepSeconds());
            m.put("weight_sync_share", e.syncShare());
            e.roofline().ifPresent(x -> {
                m.put("roofline_flops_per_s", x.tokenFlopsPerSecond());
                m.put("matmul_flops_per_s", x.flopsPerSecond());
                m.put("roofline_share", e.rooflineShare());
            });
            each.put(e.engine(), m);
            o.put(e.engine() + "_tokens_per_s", e.tokensPerSecond());
        }
        o.put("engines", each);
        EngineResult last = r.engines().getLast();
        o.put("ratio", last.tokensPerSecond() / r.engines().getFirst().tokensPerSecond());
        o.put("weight_sync_ms", last.syncMillis());
        o.put("weight_sync_share", last.syncShare());
        return o;
    }
}
