package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run of a configuration: validates every section and creates every plugin before any work,
 * then runs the stages in order, and writes {@code summary.json} (also when a stage fails).
 *
 * <p>The run directory holds {@code config.yaml} (the configuration as run), {@code metrics.jsonl},
 * {@code models/<stage>} (each training stage's final model), {@code checkpoints/} (training
 * checkpoints, {@link Checkpoints}), {@code evaluations/<stage>.json}, {@code summary.json} and
 * {@code run-state.json} (how far it has come, {@link RunState}); {@link #resume} continues it.
 */
public final class Run {

    private static final Set<String> SECTIONS = Set.of("run", "model", "policy", "rollout", "rewards", "data", "stages");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a finished run reports. */
    public record Result(Path runDir, Map<String, EvalResult> evaluations, double seconds) {}

    private Run() {}

    /**
     * Runs {@code tree}.
     *
     * @throws io.rlvr4j.api.config.ConfigException before any work, when the configuration is invalid
     */
    public static Result execute(ConfigTree tree, PluginRegistry registry, PrintStream out) throws Exception {
        return execute(tree, registry, out, null);
    }

    /**
     * Continues the run in {@code runDir} from its last complete checkpoint ({@link Resume}), with
     * {@code tree} (null: the configuration the run was started with).
     *
     * @throws io.rlvr4j.api.config.ConfigException before anything is written, when the directory is not a
     *     run's, its checkpoint is damaged, or {@code tree} differs from its configuration where that matters
     */
    public static Result resume(Path runDir, ConfigTree tree, PluginRegistry registry, PrintStream out) throws Exception {
        Resume resume = Resume.open(runDir, tree);
        return execute(resume.tree, registry, out, resume);
    }

    private static Result execute(ConfigTree tree, PluginRegistry registry, PrintStream out, Resume resume) throws Exception {
        long t0 = System.nanoTime();
        Settings root = tree.settings();
        for (String key : root.keys()) {
            if (!SECTIONS.contains(key)) {
                throw new io.rlvr4j.api.config.ConfigException(key, tree.locate(key) + ": unknown section " + key
                        + ". Valid sections: " + String.join(", ", SECTIONS.stream().sorted().toList()) + ".");
            }
        }
        Settings runS = root.section("run");
        String name = runS.string("name", "run");
        Path outputDir = runS.path("output_dir", Path.of("runs"));
        long seed = runS.longValue("seed", 0);

        Settings policyS = root.section("policy");
        PolicyBackend backend = registry.select(PolicyBackend.class, policyS, "backend", "djl");
        Settings rolloutS = root.section("rollout");
        String engineName = rolloutS.string("engine", "policy");
        RolloutEngine engine = engineName.equals("policy") ? null : registry.select(RolloutEngine.class, rolloutS, "engine", null);

        List<Rewards.Named> verifiers = new ArrayList<>();
        for (Settings r : root.sectionList("rewards")) {
            verifiers.add(new Rewards.Named(r.requireString("name"), registry.select(RewardFunction.class, r, "name", null).create(r)));
        }
        int workers = runS.integer("reward_workers", Math.max(1, Runtime.getRuntime().availableProcessors()));
        double rewardTimeout = runS.number("reward_timeout_s", 30);

        ModelSetup model = ModelSetup.from(root.section("model"), registry);
        PromptFormat prompts = PromptFormat.read(root.section("model"));
        try (DataSets data = new DataSets(root.section("data"), registry);
             Rewards rewards = new Rewards(verifiers, workers, rewardTimeout)) {
            List<Stage> stages = stages(root, data, registry, seed);
            // everything but the backend's and rollout engine's slices, which they read when opened below
            for (String section : List.of("run", "model", "data")) root.section(section).rejectUnknown();
            for (String list : List.of("rewards", "stages")) root.sectionList(list).forEach(Settings::rejectUnknown);

            model.check(); // a bad model directory is refused before anything is written
            Resume.Point point = resume == null ? null : resume.point(stages); // so is a damaged checkpoint
            if (resume != null) resume.refill(stages, point, data); // the data sets the completed stages made
            checkMemory(model, stages, backend, policyS, engine, rolloutS, runS.flag("check_memory", true), out);
            Path runDir;
            RunState state;
            if (resume == null) {
                runDir = createRunDir(outputDir, name);
                out.println("rlvr4j: run directory " + runDir);
                new YAMLMapper().writeValue(runDir.resolve("config.yaml").toFile(), tree.values());
                state = RunState.start(tree.baseDir(), initialModel(model, backend, policyS, seed, runDir, out), data.positions());
                state.write(runDir);
            } else {
                runDir = resume.runDir;
                state = resume.state;
                // the model the stage starts from, opened once as a fresh run opens its initial model (it reads the policy settings)
                try (Policy p = backend.open(new PolicySpec(Path.of(state.currentModel()), PolicySpec.Init.LOAD, ModelRole.ACTOR, null, seed), policyS)) {
                    out.println("rlvr4j: model " + state.currentModel() + ": " + p.describe());
                }
            }
            Path stageModel = point != null && point.checkpoint() != null ? point.checkpoint().dir() : Path.of(state.currentModel());
            Sampler rollout = engine == null ? null : engine.open(stageModel, rolloutS);
            try {
                root.rejectUnknown();
            } catch (RuntimeException e) {
                if (rollout != null) rollout.close();
                throw e;
            }
            if (resume != null) { // every check has passed: from here on the run directory changes
                resume.truncateMetrics(stages, point);
                Files.deleteIfExists(runDir.resolve(FaultPoints.MARKER));
                Stage at = stages.get(point.stage());
                out.println("rlvr4j: resuming " + runDir + " at stage " + at.name() + (point.checkpoint() == null ? " (from its start)"
                        : ", step " + (point.checkpoint().step() + 1) + " (checkpoint " + runDir.relativize(point.checkpoint().dir()) + ")"));
                data.seek(point.dataPositions());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run", name);
            summary.put("run_dir", runDir.toString());
            summary.put("status", "running");
            List<Map<String, Object>> stageFacts = new ArrayList<>(state.completed());
            summary.put("stages", stageFacts);
            double earlier = state.wallSeconds();
            try (MetricsLog metrics = new MetricsLog(runDir.resolve("metrics.jsonl"))) {
                RunContext ctx = new RunContext(runDir, seed, out, backend, policyS, rollout, rewards, metrics, prompts, model.format,
                        Path.of(state.currentModel()), data);
                ctx.evaluations.putAll(state.evaluations());
                for (int i = point == null ? 0 : point.stage(); i < stages.size(); i++) {
                    Stage stage = stages.get(i);
                    Checkpoints.Saved from = point != null && i == point.stage() ? point.checkpoint() : null;
                    out.println("rlvr4j: stage " + stage.name() + " (" + stage.type() + ")");
                    Map<String, Object> facts = new LinkedHashMap<>();
                    facts.put("name", stage.name());
                    facts.put("type", stage.type());
                    if (from != null) facts.put("resumed_after_step", from.step());
                    stageFacts.add(facts);
                    facts.putAll(stage.run(ctx, from));
                    state = state.completed(facts, ctx.currentModel, data.positions(), ctx.evaluations);
                    state.write(runDir);
                    writeSummary(summary, ctx, earlier + (System.nanoTime() - t0) / 1e9, runDir);
                }
                summary.put("status", "completed");
                summary.put("final_model", ctx.currentModel.toString());
                writeSummary(summary, ctx, earlier + (System.nanoTime() - t0) / 1e9, runDir);
                state.ended(earlier + (System.nanoTime() - t0) / 1e9, true).write(runDir);
                out.print(comparison(ctx.evaluations));
                out.println("rlvr4j: done in " + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)
                        + " s; results in " + runDir + " (summary.json, metrics.jsonl, evaluations/, models/)");
                return new Result(runDir, Map.copyOf(ctx.evaluations), (System.nanoTime() - t0) / 1e9);
            } catch (Exception | Error e) {
                summary.put("status", "failed");
                summary.put("error", String.valueOf(e));
                summary.put("wall_time_s", earlier + (System.nanoTime() - t0) / 1e9);
                JSON.writeValue(runDir.resolve("summary.json").toFile(), summary);
                state.ended(earlier + (System.nanoTime() - t0) / 1e9, false).write(runDir);
                throw e;
            } finally {
                if (rollout != null) rollout.close();
            }
        }
    }

    private static List<Stage> stages(Settings root, DataSets data, PluginRegistry registry, long seed) {
        List<Settings> list = root.sectionList("stages");
        if (list.isEmpty()) throw root.missing("stages", "a list of stages (type: sft, rl, eval, distill or filter)");
        // the data sets the stages make, and where: a stage may only read one made before it
        Map<String, Integer> madeAt = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Settings s = list.get(i);
            String type = s.string("type", "");
            if (type.equals("distill") || type.equals("filter")) madeAt.putIfAbsent(s.string("output", s.string("name", type)), i);
        }
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Settings s = list.get(i);
            String type = s.requireString("type");
            String name = s.string("name", type);
            if (!names.add(name)) throw s.invalid("name", "stage names must be unique; give this stage another name");
            String reads = s.string("data", null);
            if (reads != null && madeAt.containsKey(reads) && madeAt.get(reads) >= i) {
                throw s.invalid("data", "data set " + reads + " is made by stage " + (madeAt.get(reads) + 1) + " ("
                        + list.get(madeAt.get(reads)).string("name", list.get(madeAt.get(reads)).string("type", "")) + "), which does not run before this one");
            }
            stages.add(switch (type) {
                case "sft" -> new SftStage(name, s, data);
                case "rl" -> new RlStage(name, s, data, registry);
                case "eval" -> new EvalStage(name, s, data);
                case "distill" -> new DistillStage(name, s, data, seed);
                case "filter" -> new FilterStage(name, s, data);
                default -> throw s.invalid("type", "expected one of: sft, rl, eval, distill, filter");
            });
        }
        return stages;
    }

    /** {@link MemoryCheck} on the initial model (a fresh one's files written to a temporary directory for it). */
    private static void checkMemory(ModelSetup model, List<Stage> stages, PolicyBackend backend, Settings policyS, RolloutEngine engine,
                                    Settings rolloutS, boolean enforce, PrintStream out) throws IOException {
        if (model.init == ModelSetup.Init.LOAD) {
            MemoryCheck.check(stages, model.path, backend, policyS, engine, rolloutS, enforce, out);
            return;
        }
        Path files = Files.createTempDirectory("rlvr4j-fresh-model");
        try {
            model.writeFreshFiles(files);
            MemoryCheck.check(stages, files, backend, policyS, engine, rolloutS, enforce, out);
        } finally {
            Checkpoints.deleteTree(files);
        }
    }

    static Path initialModel(ModelSetup model, PolicyBackend backend, Settings policyS, long seed, Path runDir,
                                     PrintStream out) {
        if (model.init == ModelSetup.Init.LOAD) {
            try (Policy p = backend.open(new PolicySpec(model.path, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, seed), policyS)) {
                out.println("rlvr4j: model " + model.path + ": " + p.describe());
            }
            return model.path;
        }
        Path dir = runDir.resolve("models").resolve("init");
        Path files = runDir.resolve("models").resolve(".init-files");
        model.writeFreshFiles(files);
        try (Policy p = backend.open(new PolicySpec(files, PolicySpec.Init.RANDOM, ModelRole.ACTOR, null, seed), policyS)) {
            out.println("rlvr4j: fresh model: " + p.describe());
            Checkpoints.save(p, Map.of("stage", "init", "step", 0), dir);
            Checkpoints.deleteTree(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static Path createRunDir(Path outputDir, String name) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = outputDir.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(dir); i++) dir = outputDir.resolve(name + "-" + stamp + "-" + i);
        Files.createDirectories(dir);
        return dir.toAbsolutePath();
    }

    private static void writeSummary(Map<String, Object> summary, RunContext ctx, double wallSeconds, Path runDir) throws IOException {
        Map<String, Object> evals = new LinkedHashMap<>();
        ctx.evaluations.forEach((k, v) -> evals.put(k, Summary.evaluation(v)));
        summary.put("evaluations", evals);
        summary.put("rl_steps", ((List<?>) summary.get("stages")).stream()
                .map(o -> (Map<?, ?>) o).filter(m -> "rl".equals(m.get("type")))
                .mapToInt(m -> m.get("steps") instanceof Integer i ? i : 0).sum());
        summary.put("wall_time_s", wallSeconds);
        Path tmp = runDir.resolve(".summary.json.tmp");
        JSON.writeValue(tmp.toFile(), summary);
        Files.move(tmp, runDir.resolve("summary.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@return the evaluations side by side, when there are two or more} */
    static String comparison(Map<String, EvalResult> evals) {
        if (evals.size() < 2) return "";
        List<EvalResult> rs = List.copyOf(evals.values());
        StringBuilder sb = new StringBuilder("\n");
        sb.append(String.format(Locale.ROOT, "  %-16s", "metric"));
        for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %12s", r.name()));
        sb.append('\n');
        if (rs.stream().allMatch(r -> !Double.isNaN(r.greedyPass1()))) {
            sb.append(String.format(Locale.ROOT, "  %-16s", "greedy pass@1"));
            for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %11.1f%%", 100 * r.greedyPass1()));
            sb.append('\n');
        }
        int n = rs.getFirst().samples();
        if (n > 0 && rs.stream().allMatch(r -> r.samples() == n)) {
            sb.append(String.format(Locale.ROOT, "  %-16s", "avg@" + n));
            for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %11.1f%%", 100 * r.avgAtN()));
            sb.append('\n');
            if (rs.stream().noneMatch(r -> Double.isNaN(r.majAtN()))) {
                sb.append(String.format(Locale.ROOT, "  %-16s", "maj@" + n));
                for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %11.1f%%", 100 * r.majAtN()));
                sb.append('\n');
            }
        }
        for (Integer k : rs.getFirst().passAtK().keySet()) {
            if (!rs.stream().allMatch(r -> r.passAtK().containsKey(k))) continue;
            sb.append(String.format(Locale.ROOT, "  %-16s", "pass@" + k));
            for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %11.1f%%", 100 * r.passAtK().get(k)));
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "  %-16s", "problems"));
        for (EvalResult r : rs) sb.append(String.format(Locale.ROOT, " %12d", r.problems()));
        return sb.append("\n\n").toString();
    }
}
