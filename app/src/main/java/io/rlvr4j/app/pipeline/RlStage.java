package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reinforcement learning with a verifiable reward. The loop, one step:
 * <pre>
 *   listeners.beforeStep        the step's sampling: length curriculum, temperature controller
 *   collector.collect           problems → n rollouts each → rewards (parallel) → shaping → filters (+ refill)
 *   rule.update                 the algorithm: advantages, objectives, optimiser steps
 *   sync                        the new weights to a separate rollout engine
 *   listeners.afterStep         KL monitor, controllers' updates and metrics
 *   metrics, progress           one line of metrics.jsonl, the progress line
 *   checkpoint every N          models, optimisers, cursors, the rule's and the listeners' state
 * </pre>
 * What the algorithm needs (roles, samples per prompt, prompt groups per step) is checked when the
 * stage is configured, before any stage of the run starts.
 */
final class RlStage implements Stage {

    private final String name;
    private final String dataName;
    private final ProblemStream data;
    private final int steps;
    private final int promptsPerStep;
    private final int n;
    private final SamplingConfig sampling;
    private final UpdateRule rule;
    private final Map<ModelRole, OptimizerSpec> optimizers = new EnumMap<>(ModelRole.class);
    private final int checkpointEvery;
    private final int keepCheckpoints;
    private final int klEvery;
    private final RolloutCollector collector;
    private final LengthCurriculum curriculum;
    private final TemperatureController temperature;
    private double lastKl = Double.NaN;

    RlStage(String name, Settings s, DataSets data, PluginRegistry registry) {
        this.name = name;
        this.dataName = s.requireString("data");
        this.data = data.cursor(s, "data");
        this.steps = StageSettings.positive(s, "steps", 100);
        this.promptsPerStep = StageSettings.positive(s, "prompts_per_step", 16);
        this.n = StageSettings.positive(s, "n", 8);
        Settings sm = s.section("sampling");
        this.sampling = SamplingConfig.read(sm, 0);
        if (sampling.configured().temperature() == 0) throw sm.invalid("temperature", "RL needs temperature > 0: greedy rollouts of a prompt are all the same");
        Settings alg = s.section("algorithm");
        this.rule = registry.select(Algorithm.class, alg, "name", null).create(alg);
        checkRequirements(s, alg.string("name", "?"));
        OptimizerSpec actor = Optimizers.read(s.section("optimizer"), 1e-4);
        optimizers.put(ModelRole.ACTOR, actor);
        Set<ModelRole> roles = rule.requiredRoles();
        if (roles.contains(ModelRole.CRITIC)) optimizers.put(ModelRole.CRITIC, Optimizers.read(s.section("critic").section("optimizer"), actor.learningRate()));
        if (roles.contains(ModelRole.IMPLICIT_PRM)) optimizers.put(ModelRole.IMPLICIT_PRM, Optimizers.read(s.section("prm").section("optimizer"), actor.learningRate()));
        this.checkpointEvery = StageSettings.checkpointEvery(s);
        this.keepCheckpoints = StageSettings.keepCheckpoints(s);
        this.klEvery = s.integer("kl_monitor_every", 0);
        if (klEvery < 0) throw s.invalid("kl_monitor_every", "must be >= 0 (0 = off)");
        this.curriculum = LengthCurriculum.read(s);
        this.temperature = TemperatureController.read(s);
        int smallestBudget = curriculum == null ? sampling.configured().maxNewTokens()
                : curriculum.limits().stream().mapToInt(Integer::intValue).min().orElseThrow();
        this.collector = RolloutCollector.read(s, this.data, promptsPerStep, n, RewardShaping.read(s, smallestBudget), rule);
    }

    /** What the algorithm states it needs, against the stage's settings: before any stage runs. */
    private void checkRequirements(Settings s, String algorithm) {
        if (n < rule.minSamplesPerPrompt()) {
            throw s.invalid("n", "algorithm " + algorithm + " needs at least " + rule.minSamplesPerPrompt()
                    + " samples per prompt (its baseline compares the samples of a prompt); set n >= " + rule.minSamplesPerPrompt());
        }
        if (promptsPerStep < rule.minGroupsPerStep()) {
            throw s.invalid("prompts_per_step", "algorithm " + algorithm + " splits a step's prompt groups into "
                    + rule.minGroupsPerStep() + " mini-batches (its mini_batches), so it needs at least that many prompts a step; set prompts_per_step >= "
                    + rule.minGroupsPerStep() + " or lower mini_batches");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "rl";
    }

    @Override
    public Map<ModelRole, OptimizerSpec> models() {
        Map<ModelRole, OptimizerSpec> out = new EnumMap<>(ModelRole.class);
        out.put(ModelRole.ACTOR, optimizers.get(ModelRole.ACTOR));
        for (ModelRole role : rule.requiredRoles()) out.put(role, optimizers.get(role));
        if (klEvery > 0) out.putIfAbsent(ModelRole.REFERENCE, null); // the KL monitor's frozen start
        return out;
    }

    @Override
    public Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) {
        long t0 = System.nanoTime();
        long first = resume == null ? 1 : resume.step() + 1;
        long dataStart = resume == null ? data.position() : StageSettings.dataStart(resume);
        Map<ModelRole, Policy> models = new EnumMap<>(ModelRole.class);
        List<Policy> monitors = new ArrayList<>();
        try (Progress progress = new Progress(name, steps, ctx.out)) {
            // the trained models from the checkpoint when resuming; frozen ones (the reference) are the stage's start
            for (ModelRole role : rule.requiredRoles()) models.put(role, ctx.open(role, optimizers.get(role), resume));
            models.computeIfAbsent(ModelRole.ACTOR, r -> ctx.open(r, optimizers.get(r), resume));
            Policy actor = models.get(ModelRole.ACTOR);
            Map<ModelRole, Policy> trained = new EnumMap<>(ModelRole.class);
            models.forEach((role, p) -> {
                if (optimizers.get(role) != null) trained.put(role, p);
            });
            Sampler sampler = ctx.rolloutEngine != null ? ctx.rolloutEngine : actor;
            if (ctx.rolloutEngine != null) ctx.syncRolloutEngine(actor);
            SamplingParams params = sampling.resolve(ctx.samplingDefaults(), actor.tokenizer().stopTokenIds(), name, ctx.out);
            List<StepListener> listeners = new ArrayList<>();
            if (curriculum != null) listeners.add(curriculum);
            if (temperature != null) listeners.add(temperature);
            if (klEvery > 0) {
                // KL to the stage's starting policy: the algorithm's reference if it has one
                Policy start = models.containsKey(ModelRole.REFERENCE) ? models.get(ModelRole.REFERENCE) : ctx.open(ModelRole.REFERENCE, null);
                if (!models.containsKey(ModelRole.REFERENCE)) monitors.add(start);
                listeners.add(new KlMonitor(klEvery, actor, start));
            }
            if (resume != null) restore(resume, listeners);
            for (long step = first; step <= steps; step++) {
                long s0 = System.nanoTime();
                SamplingParams stepParams = params;
                for (StepListener l : listeners) stepParams = l.beforeStep(step, stepParams);
                RolloutCollector.Batch batch = collector.collect(ctx, name, step, sampler, stepParams);
                // the algorithm's statistics first: the loop's own (over all groups, not just the kept ones) win
                Map<String, Double> m = new LinkedHashMap<>(batch.kept().isEmpty() ? Map.of()
                        : rule.update(batch.kept(), new ModelsView(models, stepParams.temperature())));
                ctx.faults.at(name, step).reached("update");
                StepMetrics.put(m, batch, s0);
                if (ctx.rolloutEngine != null) {
                    long y0 = System.nanoTime();
                    ctx.syncRolloutEngine(actor);
                    m.put("timing_s/sync", (System.nanoTime() - y0) / 1e9);
                }
                for (StepListener l : listeners) l.afterStep(step, batch, m);
                ctx.metrics.write(name, step, m);
                progress.step(step, shown(m));
                if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < steps) {
                    StageSettings.checkpoint(ctx, trained, name, step, stageState(dataStart, listeners), keepCheckpoints, resume);
                }
            }
            ctx.currentModel = StageSettings.saveFinal(ctx, actor, name, steps, keepCheckpoints);
        } finally {
            models.values().forEach(Policy::close);
            monitors.forEach(Policy::close);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("steps", steps);
        facts.put("data", StageSettings.dataFacts(dataName, dataStart, data));
        facts.put("wall_s", (System.nanoTime() - t0) / 1e9);
        return facts;
    }

    /** {@return what a checkpoint of this stage saves beyond the models and cursors} */
    private Map<String, Object> stageState(long dataStart, List<StepListener> listeners) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("data_start", dataStart);
        state.put("algorithm", rule.state());
        Map<String, Object> ls = new LinkedHashMap<>();
        for (StepListener l : listeners) {
            Map<String, Object> st = l.state();
            if (!st.isEmpty()) ls.put(l.name(), st);
        }
        state.put("listeners", ls);
        return state;
    }

    @SuppressWarnings("unchecked")
    private void restore(Checkpoints.Saved resume, List<StepListener> listeners) {
        Map<String, Object> state = StageSettings.stageState(resume);
        try {
            rule.restore(state.get("algorithm") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
            Map<String, Object> saved = state.get("listeners") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            for (StepListener l : listeners) {
                Object st = saved.get(l.name());
                if (st instanceof Map<?, ?> m) l.restore((Map<String, Object>) m);
                else if (!l.state().isEmpty()) throw new IllegalArgumentException("it holds no state of " + l.name());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("checkpoint " + resume.dir() + ": the saved state does not fit this stage: " + e.getMessage(), e);
        }
    }

    private Map<String, String> shown(Map<String, Double> m) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("reward", Progress.f(m.get("reward/mean"), 3));
        s.put("acc", Progress.f(m.get("score/mean"), 3));
        s.put("len", Progress.f(m.get("response_length/mean"), 1));
        if (m.containsKey("kl/start_policy")) lastKl = m.get("kl/start_policy");
        Double kl = !Double.isNaN(lastKl) ? Double.valueOf(lastKl) : m.getOrDefault("actor/kl", m.get("actor/approx_kl"));
        if (kl != null) s.put("kl", Progress.f(kl, 4));
        // the entropy of the distribution sampled from (AceReason tunes the temperature by it)
        Double ent = m.getOrDefault("actor/entropy_adjusted", m.get("actor/entropy"));
        if (ent != null) s.put("ent", Progress.f(ent, 3));
        if (m.containsKey("temperature/value")) s.put("T", Progress.f(m.get("temperature/value"), 3));
        s.put("s/step", Progress.f(m.get("timing_s/step"), 2));
        return s;
    }

    /** The algorithm's view of the run's models, and the temperature the rollouts were sampled at. */
    private record ModelsView(Map<ModelRole, Policy> models, double samplingTemperature) implements UpdateRule.Models {

        private Policy get(ModelRole role) {
            Policy p = models.get(role);
            if (p == null) {
                throw new IllegalStateException("the algorithm used model role " + role.configName()
                        + " without declaring it in requiredRoles()");
            }
            return p;
        }

        @Override
        public float[][] logProbs(ModelRole role, List<TokenSequence> sequences, double temperature) {
            return get(role).logProbs(sequences, temperature);
        }

        @Override
        public float[][] values(List<TokenSequence> sequences) {
            return get(ModelRole.CRITIC).values(sequences);
        }

        @Override
        public Map<String, Double> train(ModelRole role, Objective objective) {
            return get(role).train(objective);
        }
    }
}
