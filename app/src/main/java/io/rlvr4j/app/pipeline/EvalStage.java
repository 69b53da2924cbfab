package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the current model on the first N problems of a data set: greedy pass@1 and, over n samples
 * per problem, avg@n, maj@n and pass@k. Writes {@code evaluations/<name>.json} (the figures),
 * {@code evaluations/<name>.greedy.jsonl} and {@code evaluations/<name>.samples.jsonl} (each response
 * with the reference as read, its verdict and the verifier's details, to read what the model does).
 * In a run with a rollout engine ({@code rollout.engine}), the engine generates, with the current
 * model's weights.
 */
final class EvalStage implements Stage {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINES = new ObjectMapper();

    private final String name;
    private final List<Problem> problems;
    private final Evaluator evaluator;

    EvalStage(String name, Settings s, DataSets data) {
        this.name = name;
        int count = StageSettings.positive(s, "problems", 200);
        try (ProblemStream stream = data.open(s, "data")) {
            long size = stream.size().orElse(Long.MAX_VALUE);
            this.problems = stream.next((int) Math.min(count, size));
        }
        this.evaluator = read(s);
    }

    /** Reads the evaluation settings ({@code greedy}, {@code n}, {@code k}, {@code temperature} …). */
    static Evaluator read(Settings s) {
        boolean greedy = s.flag("greedy", true);
        int n = s.integer("n", 8);
        if (n < 0) throw s.invalid("n", "must be >= 0 (0 = no sampled pass@k)");
        if (n == 0 && !greedy) throw s.invalid("n", "is 0 and greedy is false: nothing to evaluate");
        List<Integer> ks = new ArrayList<>();
        for (String k : s.strings("k", n > 0 ? List.of("1", String.valueOf(n)) : List.of())) {
            int v;
            try {
                v = Integer.parseInt(k.trim());
            } catch (NumberFormatException e) {
                throw s.invalid("k", "expected a list of integers, e.g. [1, 4, 8]");
            }
            if (v < 1 || v > n) throw s.invalid("k", "each k must be in [1, n] with n = " + n);
            ks.add(v);
        }
        SamplingConfig sampling = SamplingConfig.read(s, s.longValue("seed", 1234));
        if (sampling.configured().temperature() == 0 && n > 0) throw s.invalid("temperature", "sampled pass@k needs temperature > 0");
        return new Evaluator(greedy, n, List.copyOf(ks), sampling, StageSettings.positive(s, "batch_size", 256));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "eval";
    }

    @Override
    public Map<ModelRole, OptimizerSpec> models() {
        Map<ModelRole, OptimizerSpec> out = new java.util.EnumMap<>(ModelRole.class);
        out.put(ModelRole.ACTOR, null);
        return out;
    }

    @Override
    public Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) { // an evaluation has no checkpoints: it runs again
        EvalResult result;
        Path dir = ctx.runDir.resolve("evaluations");
        Path greedyFile = dir.resolve(name + ".greedy.jsonl");
        Path samplesFile = dir.resolve(name + ".samples.jsonl");
        try (Policy policy = ctx.open(ModelRole.ACTOR, null);
             BufferedWriter greedyOut = evaluator.greedy() ? newWriter(greedyFile) : null; // no greedy pass, no file
             BufferedWriter samplesOut = evaluator.samples() > 0 ? newWriter(samplesFile) : null) {
            // a run with a rollout engine evaluates on it too: it is the run's generator, and the faster one
            Sampler sampler = policy;
            if (ctx.rolloutEngine != null) {
                ctx.syncRolloutEngine(policy);
                sampler = ctx.rolloutEngine;
            }
            result = evaluator.evaluate(name, sampler, ctx.prompts, ctx.samplingDefaults(), problems, ctx.rewards, ctx.out, (p, sample, g, r) -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", p.id());
                line.put("decoding", sample < 0 ? "greedy" : "sampled");
                if (sample >= 0) line.put("sample", sample);
                line.put("domain", p.domain());
                line.put("prompt", p.prompt());
                line.put("answer", p.answer());
                // the reference as the verifier read it (the math verifier's detail), else as the data gave it
                line.put("expected", r.details().getOrDefault("expected", p.answer()));
                line.put("response", g.text());
                line.put("finish", g.finishReason().name().toLowerCase(Locale.ROOT));
                line.put("tokens", g.tokens().length);
                line.put("reward", r.reward());
                line.put("correct", r.correct());
                line.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
                line.put("details", r.details());
                Path file = sample < 0 ? greedyFile : samplesFile;
                try {
                    BufferedWriter out = sample < 0 ? greedyOut : samplesOut;
                    out.write(LINES.writeValueAsString(line));
                    out.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        ctx.out.print(result.table());
        ctx.evaluations.put(name, result);
        write(result, dir.resolve(name + ".json"));
        return Map.of("problems", result.problems(), "wall_s", result.seconds());
    }

    private static BufferedWriter newWriter(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.newBufferedWriter(file);
    }

    static void write(EvalResult result, Path file) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), Summary.evaluation(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
