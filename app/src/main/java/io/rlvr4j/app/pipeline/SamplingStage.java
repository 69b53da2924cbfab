package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage that samples {@code n} responses to each of {@code problems} prompts of a data set (read on
 * from its shared cursor), scores them, and makes a data set of what it keeps ({@code output}, by default
 * the stage's name), written to {@code datasets/<output>.jsonl}, for the stages after it:
 * {@link DistillStage} keeps accepted responses as SFT targets, {@link FilterStage} keeps prompts by
 * pass rate. Settings: {@code data}, {@code problems} (256), {@code n} (8), {@code sampling}
 * (temperature 1.0, top_p, top_k, max_new_tokens …), {@code model} (a Hugging Face model directory to
 * sample from, e.g. a teacher; default the run's current model), {@code batch_size} (prompts sampled
 * at once, 64). A killed run does this stage again from its start.
 */
abstract class SamplingStage implements Stage {

    /** A prompt with its responses and their verdicts. */
    record Scored(Problem problem, List<Generation> responses, List<RewardResult> results) {
        int correct() {
            return (int) results.stream().filter(RewardResult::correct).count();
        }
    }

    final String name;
    final String dataName;
    final String output;
    private final ProblemStream data;
    final int problems;
    final int n;
    private final SamplingConfig sampling;
    private final Path model;
    private final int batchSize;

    SamplingStage(String name, Settings s, DataSets data, int defaultN) {
        this.name = name;
        this.dataName = s.requireString("data");
        this.data = data.cursor(s, "data");
        this.output = s.string("output", name);
        this.problems = StageSettings.positive(s, "problems", 256);
        this.n = StageSettings.positive(s, "n", defaultN);
        Settings sm = s.section("sampling");
        this.sampling = SamplingConfig.read(sm, 0);
        if (sampling.configured().temperature() == 0 && n > 1) throw sm.invalid("temperature", "n > 1 needs temperature > 0: greedy responses of a prompt are all the same");
        this.model = s.path("model", null);
        if (model != null && !Files.isRegularFile(model.resolve("config.json"))) {
            throw s.invalid("model", "no Hugging Face model directory (config.json) at " + model);
        }
        this.batchSize = StageSettings.positive(s, "batch_size", 64);
        data.declare(s, "output", output, name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<ModelRole, OptimizerSpec> models() {
        Map<ModelRole, OptimizerSpec> out = new EnumMap<>(ModelRole.class);
        out.put(ModelRole.ACTOR, null);
        return out;
    }

    /** {@return the data set made of {@code scored}, and facts about it for {@code summary.json}} */
    abstract Made make(List<Scored> scored);

    /** What a stage made: the problems, and its facts. */
    record Made(List<Problem> problems, Map<String, Object> facts) {}

    @Override
    public Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) {
        long t0 = System.nanoTime();
        long dataStart = data.position();
        List<Scored> scored = new ArrayList<>();
        Path from = model != null ? model : ctx.currentModel;
        try (Policy policy = ctx.backend.open(new PolicySpec(from, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, ctx.seed), ctx.policySettings);
             Progress progress = new Progress(name, (problems + batchSize - 1) / batchSize, ctx.out)) {
            // the run's rollout engine samples the run's own model; a named model is sampled by itself
            Sampler sampler = policy;
            if (ctx.rolloutEngine != null && model == null) {
                ctx.syncRolloutEngine(policy);
                sampler = ctx.rolloutEngine;
            }
            SamplingParams params = sampling.resolve(ctx.format.samplingDefaults(from), sampler.tokenizer().stopTokenIds(), name, ctx.out);
            int correct = 0;
            int total = 0;
            for (int batch = 0; batch * batchSize < problems; batch++) {
                List<Problem> ps = data.next(Math.min(batchSize, problems - batch * batchSize));
                List<int[]> prompts = new ArrayList<>();
                List<Problem> owners = new ArrayList<>();
                for (Problem p : ps) {
                    int[] ids = ctx.prompts.encode(p, sampler.tokenizer());
                    for (int j = 0; j < n; j++) {
                        prompts.add(ids);
                        owners.add(p);
                    }
                }
                List<Generation> gens = sampler.generate(prompts, params.withSeed(ctx.seedFor(name, batch)));
                List<RewardResult> results = ctx.rewards.scoreAll(owners, gens.stream().map(Generation::text).toList());
                for (int i = 0; i < ps.size(); i++) {
                    scored.add(new Scored(ps.get(i), gens.subList(i * n, (i + 1) * n), results.subList(i * n, (i + 1) * n)));
                }
                correct += (int) results.stream().filter(RewardResult::correct).count();
                total += results.size();
                progress.step(batch + 1, Map.of("accepted", Progress.f(correct / (double) total, 3)));
            }
        }
        Made made = make(scored);
        Path file = ctx.runDir.resolve("datasets").resolve(output + ".jsonl");
        ProblemFiles.write(file, made.problems());
        ctx.data.fill(output, made.problems());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("data", StageSettings.dataFacts(dataName, dataStart, data));
        facts.put("output", output);
        facts.put("output_file", ctx.runDir.relativize(file).toString());
        facts.putAll(made.facts());
        facts.put("wall_s", (System.nanoTime() - t0) / 1e9);
        return facts;
    }

    /** {@return the counts of {@code scored}, domain by domain: prompts, samples, accepted samples, prompts with one accepted} */
    static Map<String, Map<String, Object>> byDomain(List<Scored> scored) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        for (Scored s : scored) {
            Map<String, Object> d = out.computeIfAbsent(s.problem().domain(), k -> new LinkedHashMap<>());
            d.merge("prompts", 1, (a, b) -> (Integer) a + (Integer) b);
            d.merge("samples", s.results().size(), (a, b) -> (Integer) a + (Integer) b);
            d.merge("accepted", s.correct(), (a, b) -> (Integer) a + (Integer) b);
            d.merge("prompts_with_accepted", s.correct() > 0 ? 1 : 0, (a, b) -> (Integer) a + (Integer) b);
        }
        out.values().forEach(d -> d.put("acceptance", (Integer) d.get("accepted") / (double) (Integer) d.get("samples")));
        return out;
    }
}
