package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reinforcement learning with a verifiable reward. One step:
 * <pre>
 *   problems → n rollouts each → rewards (parallel) → algorithm (filter, advantages, objectives)
 *            → train → weight sync to a separate rollout engine → metrics (+ checkpoint every N)
 * </pre>
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
    /** Extra rounds of sampling when the algorithm's filter leaves fewer groups than prompts_per_step. */
    private final int refillRounds;
    /** DAPO's soft overlong punishment: the last tokens of the budget over which the penalty grows (0 = off), and its size. */
    private final int overlongBuffer;
    private final double overlongPenalty;
    /** The reward of a response cut at max_new_tokens, or NaN to keep the verifier's. */
    private final double truncatedReward;
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
        if (n < rule.minSamplesPerPrompt()) {
            throw s.invalid("n", "algorithm " + alg.string("name", "?") + " needs at least " + rule.minSamplesPerPrompt()
                    + " samples per prompt (its baseline compares the samples of a prompt); set n >= " + rule.minSamplesPerPrompt());
        }
        OptimizerSpec actor = Optimizers.read(s.section("optimizer"), 1e-4);
        optimizers.put(ModelRole.ACTOR, actor);
        Set<ModelRole> roles = rule.requiredRoles();
        if (roles.contains(ModelRole.CRITIC)) optimizers.put(ModelRole.CRITIC, Optimizers.read(s.section("critic").section("optimizer"), actor.learningRate()));
        if (roles.contains(ModelRole.IMPLICIT_PRM)) optimizers.put(ModelRole.IMPLICIT_PRM, Optimizers.read(s.section("prm").section("optimizer"), actor.learningRate()));
        this.checkpointEvery = StageSettings.checkpointEvery(s);
        this.keepCheckpoints = StageSettings.keepCheckpoints(s);
        this.klEvery = s.integer("kl_monitor_every", 0);
        if (klEvery < 0) throw s.invalid("kl_monitor_every", "must be >= 0 (0 = off)");
        this.refillRounds = s.integer("refill_rounds", 0);
        if (refillRounds < 0) throw s.invalid("refill_rounds", "must be >= 0 (0 = no refill: train on the groups the filter keeps)");
        this.overlongBuffer = s.integer("overlong_buffer", 0);
        if (overlongBuffer < 0 || overlongBuffer >= sampling.configured().maxNewTokens()) {
            throw s.invalid("overlong_buffer", "must be in [0, sampling.max_new_tokens) = [0, " + sampling.configured().maxNewTokens()
                    + "); 0 = no overlong penalty");
        }
        this.overlongPenalty = s.finiteNumber("overlong_penalty", 1.0);
        if (!(overlongPenalty >= 0)) throw s.invalid("overlong_penalty", "must be >= 0");
        this.truncatedReward = s.has("truncated_reward") ? s.number("truncated_reward", 0) : Double.NaN;
        if (s.has("truncated_reward") && !Double.isFinite(truncatedReward)) throw s.invalid("truncated_reward", "must be a finite number");
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
        if (resume != null) restoreRule(resume);
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
            ModelsView view = new ModelsView(models, params.temperature());
            // KL to the stage's starting policy, for monitoring: the algorithm's reference if it has one
            Policy start = klEvery == 0 ? null : models.containsKey(ModelRole.REFERENCE)
                    ? models.get(ModelRole.REFERENCE) : ctx.open(ModelRole.REFERENCE, null);
            if (start != null && !models.containsKey(ModelRole.REFERENCE)) monitors.add(start);
            for (long step = first; step <= steps; step++) {
                Map<String, Double> m = step(ctx, step, sampler, params, view, start != null && step % klEvery == 0 ? start : null);
                if (ctx.rolloutEngine != null) {
                    long s0 = System.nanoTime();
                    ctx.syncRolloutEngine(actor);
                    m.put("timing_s/sync", (System.nanoTime() - s0) / 1e9);
                }
                ctx.metrics.write(name, step, m);
                progress.step(step, shown(m));
                if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < steps) {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("data_start", dataStart);
                    state.put("algorithm", rule.state());
                    StageSettings.checkpoint(ctx, trained, name, step, state, keepCheckpoints, resume);
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

    @SuppressWarnings("unchecked")
    private void restoreRule(Checkpoints.Saved resume) {
        Object state = StageSettings.stageState(resume).get("algorithm");
        try {
            rule.restore(state instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("checkpoint " + resume.dir() + ": the algorithm's saved state does not fit it: " + e.getMessage(), e);
        }
    }

    /** One RL step; measures KL to {@code start} after the update unless it is null. */
    private Map<String, Double> step(RunContext ctx, long step, Sampler sampler, SamplingParams params,
                                     ModelsView models, Policy start) {
        long s0 = System.nanoTime();
        List<Problem> owners = new ArrayList<>();
        List<Generation> gens = new ArrayList<>();
        List<RewardResult> results = new ArrayList<>();
        List<RolloutGroup> groups = new ArrayList<>();
        List<RolloutGroup> kept = new ArrayList<>();
        long generating = 0;
        long scoring = 0;
        int rounds = 0;
        int filtered = 0;
        // dynamic sampling: while the algorithm's filter leaves fewer groups than a step trains on, sample
        // another round of prompts, up to refill_rounds more (DAPO); the surplus of the last round is dropped
        do {
            long r0 = System.nanoTime();
            List<Problem> problems = data.next(promptsPerStep);
            List<int[]> prompts = new ArrayList<>(problems.size() * n);
            for (Problem p : problems) {
                int[] ids = ctx.prompts.encode(p, sampler.tokenizer());
                for (int j = 0; j < n; j++) {
                    prompts.add(ids);
                    owners.add(p);
                }
            }
            long seed = rounds == 0 ? ctx.seedFor(name, step) : ctx.seedFor(name + "#refill" + rounds, step);
            List<Generation> round = sampler.generate(prompts, params.withSeed(seed));
            ctx.faults.at(name, step).reached("rollout");
            long r1 = System.nanoTime();
            List<RewardResult> scored = ctx.rewards.scoreAll(owners.subList(gens.size(), owners.size()),
                    round.stream().map(Generation::text).toList());
            if (overlongBuffer > 0) scored = penaliseOverlong(round, scored);
            if (!Double.isNaN(truncatedReward)) scored = penaliseTruncated(round, scored);
            ctx.faults.at(name, step).reached("reward");
            generating += r1 - r0;
            scoring += System.nanoTime() - r1;
            List<RolloutGroup> roundGroups = new ArrayList<>(problems.size());
            for (int i = 0; i < problems.size(); i++) {
                roundGroups.add(new RolloutGroup(problems.get(i), round.subList(i * n, (i + 1) * n), scored.subList(i * n, (i + 1) * n)));
            }
            gens.addAll(round);
            results.addAll(scored);
            groups.addAll(roundGroups);
            List<RolloutGroup> roundKept = rule.filter(roundGroups);
            filtered += roundGroups.size() - roundKept.size();
            kept.addAll(roundKept);
            rounds++;
        } while (kept.size() < promptsPerStep && rounds <= refillRounds);
        if (kept.size() > promptsPerStep) kept = new ArrayList<>(kept.subList(0, promptsPerStep));
        long s1 = s0 + generating;
        long s2 = s1 + scoring;
        // the algorithm's statistics first: the loop's own (over all groups, not just the kept ones) win
        Map<String, Double> m = new LinkedHashMap<>(kept.isEmpty() ? Map.of() : rule.update(kept, models));
        ctx.faults.at(name, step).reached("update");
        m.put("reward/mean", results.stream().mapToDouble(RewardResult::reward).average().orElse(0));
        m.put("score/mean", results.stream().mapToDouble(RewardResult::score).average().orElse(0));
        m.put("reward/zero_std_frac", groups.stream().filter(g -> io.rlvr4j.api.math.GroupStats.allEqual(g.rewardValues())).count()
                / (double) groups.size());
        m.put("response_length/mean", gens.stream().mapToInt(g -> g.tokens().length).average().orElse(0));
        m.put("response_length/max", (double) gens.stream().mapToInt(g -> g.tokens().length).max().orElse(0));
        m.put("response_length/clip_ratio", gens.stream().filter(g -> g.finishReason() == Generation.FinishReason.LENGTH).count()
                / (double) gens.size());
        m.put("groups/kept", (double) kept.size());
        m.put("groups/filtered", (double) filtered);
        m.put("groups/sampling_rounds", (double) rounds);
        putByDomain(m, owners, results);
        long s3 = System.nanoTime();
        m.put("timing_s/rollout", (s1 - s0) / 1e9);
        m.put("timing_s/reward", (s2 - s1) / 1e9);
        m.put("timing_s/update", (s3 - s0 - generating - scoring) / 1e9);
        m.put("timing_s/step", (s3 - s0) / 1e9);
        if (start != null) {
            m.put("kl/start_policy", klToStart(models.get(ModelRole.ACTOR), start, gens.stream().map(Generation::sequence).toList()));
            m.put("timing_s/kl_monitor", (System.nanoTime() - s3) / 1e9);
        }
        return m;
    }

    /**
     * Reward and accuracy of each domain's samples ({@code domain/math/reward_mean}, {@code domain/code/score_mean},
     * {@code domain/code/samples}): a run that mixes math and code shows each verifier's signal on its own.
     */
    private static void putByDomain(Map<String, Double> m, List<Problem> owners, List<RewardResult> results) {
        Map<String, double[]> byDomain = new java.util.TreeMap<>(); // domain -> {reward sum, score sum, samples}
        for (int i = 0; i < owners.size(); i++) {
            double[] acc = byDomain.computeIfAbsent(owners.get(i).domain(), d -> new double[3]);
            acc[0] += results.get(i).reward();
            acc[1] += results.get(i).score();
            acc[2]++;
        }
        byDomain.forEach((domain, acc) -> {
            m.put("domain/" + domain + "/reward_mean", acc[0] / acc[2]);
            m.put("domain/" + domain + "/score_mean", acc[1] / acc[2]);
            m.put("domain/" + domain + "/samples", acc[2]);
        });
    }

    /**
     * {@return the results with DAPO's soft overlong punishment added} (Yu et al. 2025, arXiv:2503.14476,
     * as verl's DAPO reward manager): a response of {@code L} tokens, with the budget {@code L_max =
     * max_new_tokens} and the buffer {@code B = overlong_buffer}, gets
     * {@code min(0, -(L - (L_max - B)) / B) * overlong_penalty}: nothing up to {@code L_max - B} tokens,
     * then a penalty growing linearly to {@code -overlong_penalty} at the budget.
     */
    private List<RewardResult> penaliseOverlong(List<Generation> gens, List<RewardResult> results) {
        int expected = sampling.configured().maxNewTokens() - overlongBuffer;
        List<RewardResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RewardResult r = results.get(i);
            int exceed = gens.get(i).tokens().length - expected;
            if (exceed > 0) {
                double penalty = Math.min(0, -(double) exceed / overlongBuffer * overlongPenalty);
                Map<String, String> details = new LinkedHashMap<>(r.details());
                details.put("overlong", exceed + " tokens into the overlong buffer: " + penalty);
                r = new RewardResult(r.reward() + penalty, r.score(), r.outcome(), details);
            }
            out.add(r);
        }
        return out;
    }

    /**
     * {@return the results with the reward of every response that hit max_new_tokens set to
     * {@code truncated_reward}}. Without it the verifier only reads the answer, so a policy may learn
     * to write on after it (to the token budget) at no cost: a drift that, once it starts, feeds on itself.
     */
    private List<RewardResult> penaliseTruncated(List<Generation> gens, List<RewardResult> results) {
        List<RewardResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RewardResult r = results.get(i);
            if (gens.get(i).finishReason() == Generation.FinishReason.LENGTH) {
                Map<String, String> details = new LinkedHashMap<>(r.details());
                details.put("truncated", "reward " + r.reward() + " replaced by truncated_reward");
                r = new RewardResult(truncatedReward, r.score(), r.outcome(), details);
            }
            out.add(r);
        }
        return out;
    }

    /**
     * {@return the mean per-token k3 estimate of KL(actor || start) on the step's samples}: how far RL
     * has moved the policy (Schulman's k3, unbiased for samples of the actor; these were sampled just
     * before the update, which is close enough for monitoring)
     */
    private static double klToStart(Policy actor, Policy start, List<TokenSequence> sequences) {
        float[][] a = actor.logProbs(sequences);
        float[][] r = start.logProbs(sequences);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                sum += KlEstimator.K3.estimate(a[i][t], r[i][t]);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
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
