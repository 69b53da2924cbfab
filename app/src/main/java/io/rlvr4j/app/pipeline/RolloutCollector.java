package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One RL step's rollouts: {@code prompts_per_step} problems, {@code n} responses each, scored in
 * parallel, shaped ({@link RewardShaping}), grouped by prompt and filtered: first by the stage's
 * {@code accuracy_band} (the groups whose accuracy, the mean verifier score, lies in
 * {@code [low, high]}: PRIME's 0.2-0.8, verl's {@code filter_groups}), then by the algorithm's own
 * filter ({@link UpdateRule#filter}). While fewer groups than {@code prompts_per_step} are left,
 * another round of prompts is sampled, up to {@code refill_rounds} more (DAPO's dynamic sampling); the
 * surplus of the last round is dropped. The one place filters are called.
 */
final class RolloutCollector {

    /** A step's rollouts: every sample of every round, the groups, and those kept for the update. */
    record Batch(List<Problem> owners, List<Generation> generations, List<RewardResult> results, List<RolloutGroup> groups,
                 List<RolloutGroup> kept, int rounds, int outOfBand, int filtered, long generatingNanos, long scoringNanos) {}

    private final ProblemStream data;
    private final int promptsPerStep;
    private final int n;
    private final RewardShaping shaping;
    private final double bandLow;
    private final double bandHigh;
    private final int refillRounds;
    private final UpdateRule rule;

    private RolloutCollector(ProblemStream data, int promptsPerStep, int n, RewardShaping shaping, double bandLow, double bandHigh,
                             int refillRounds, UpdateRule rule) {
        this.data = data;
        this.promptsPerStep = promptsPerStep;
        this.n = n;
        this.shaping = shaping;
        this.bandLow = bandLow;
        this.bandHigh = bandHigh;
        this.refillRounds = refillRounds;
        this.rule = rule;
    }

    /** Reads {@code accuracy_band} and {@code refill_rounds} of stage settings {@code s}. */
    static RolloutCollector read(Settings s, ProblemStream data, int promptsPerStep, int n, RewardShaping shaping, UpdateRule rule) {
        double[] band = StageSettings.band(s, "accuracy_band", new double[] {0, 1}, "the accuracies of the groups kept, e.g. [0.2, 0.8]");
        int refill = s.integer("refill_rounds", 0);
        if (refill < 0) throw s.invalid("refill_rounds", "must be >= 0 (0 = no refill: train on the groups the filters keep)");
        return new RolloutCollector(data, promptsPerStep, n, shaping, band[0], band[1], refill, rule);
    }

    /** {@return whether {@code g}'s accuracy lies in the band} */
    boolean inBand(RolloutGroup g) {
        double acc = Arrays.stream(g.scores()).average().orElse(0);
        return acc >= bandLow && acc <= bandHigh;
    }

    /** Samples, scores, shapes and filters step {@code step}'s rollouts. */
    Batch collect(RunContext ctx, String stage, long step, Sampler sampler, SamplingParams params) {
        List<Problem> owners = new ArrayList<>();
        List<Generation> gens = new ArrayList<>();
        List<RewardResult> results = new ArrayList<>();
        List<RolloutGroup> groups = new ArrayList<>();
        List<RolloutGroup> kept = new ArrayList<>();
        long generating = 0;
        long scoring = 0;
        int rounds = 0;
        int outOfBand = 0;
        int filtered = 0;
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
            long seed = rounds == 0 ? ctx.seedFor(stage, step) : ctx.seedFor(stage + "#refill" + rounds, step);
            List<Generation> round = sampler.generate(prompts, params.withSeed(seed));
            ctx.faults.at(stage, step).reached("rollout");
            long r1 = System.nanoTime();
            List<RewardResult> scored = ctx.rewards.scoreAll(owners.subList(gens.size(), owners.size()),
                    round.stream().map(Generation::text).toList());
            scored = shaping.apply(round, scored, params.maxNewTokens());
            ctx.faults.at(stage, step).reached("reward");
            generating += r1 - r0;
            scoring += System.nanoTime() - r1;
            List<RolloutGroup> roundGroups = new ArrayList<>(problems.size());
            for (int i = 0; i < problems.size(); i++) {
                roundGroups.add(new RolloutGroup(problems.get(i), round.subList(i * n, (i + 1) * n), scored.subList(i * n, (i + 1) * n)));
            }
            gens.addAll(round);
            results.addAll(scored);
            groups.addAll(roundGroups);
            List<RolloutGroup> banded = roundGroups.stream().filter(this::inBand).toList();
            outOfBand += roundGroups.size() - banded.size();
            List<RolloutGroup> roundKept = rule.filter(banded);
            filtered += banded.size() - roundKept.size();
            kept.addAll(roundKept);
            rounds++;
        } while (kept.size() < promptsPerStep && rounds <= refillRounds);
        if (kept.size() > promptsPerStep) kept = new ArrayList<>(kept.subList(0, promptsPerStep));
        return new Batch(owners, gens, results, groups, kept, rounds, outOfBand, filtered, generating, scoring);
    }
}
