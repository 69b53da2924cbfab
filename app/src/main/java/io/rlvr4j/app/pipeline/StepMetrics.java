package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.math.GroupStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RL loop's own metrics of a step, over all its samples (not only the groups kept): rewards,
 * accuracy, lengths, what the filters did, per-domain signal and timings. One place, so every step's
 * line of {@code metrics.jsonl} has the same keys.
 */
final class StepMetrics {

    private StepMetrics() {}

    /** Puts the step's metrics into {@code m} (over what the algorithm put there); {@code s0}: the step's start. */
    static void put(Map<String, Double> m, RolloutCollector.Batch b, long s0) {
        List<RewardResult> results = b.results();
        List<Generation> gens = b.generations();
        m.put("reward/mean", results.stream().mapToDouble(RewardResult::reward).average().orElse(0));
        m.put("score/mean", results.stream().mapToDouble(RewardResult::score).average().orElse(0));
        m.put("reward/zero_std_frac", b.groups().stream().filter(g -> GroupStats.allEqual(g.rewardValues())).count()
                / (double) b.groups().size());
        m.put("response_length/mean", gens.stream().mapToInt(g -> g.tokens().length).average().orElse(0));
        m.put("response_length/max", (double) gens.stream().mapToInt(g -> g.tokens().length).max().orElse(0));
        m.put("response_length/clip_ratio", gens.stream().filter(g -> g.finishReason() == Generation.FinishReason.LENGTH).count()
                / (double) gens.size());
        m.put("groups/kept", (double) b.kept().size());
        if (!b.kept().isEmpty()) { // what the filters let through: the accuracies of the groups trained on
            double[] acc = b.kept().stream().mapToDouble(g -> java.util.Arrays.stream(g.scores()).average().orElse(0)).toArray();
            m.put("groups/kept_accuracy_min", java.util.Arrays.stream(acc).min().orElseThrow());
            m.put("groups/kept_accuracy_max", java.util.Arrays.stream(acc).max().orElseThrow());
        }
        m.put("groups/out_of_band", (double) b.outOfBand());
        m.put("groups/filtered", (double) b.filtered());
        m.put("groups/sampling_rounds", (double) b.rounds());
        putByDomain(m, b.owners(), results);
        long now = System.nanoTime();
        m.put("timing_s/rollout", b.generatingNanos() / 1e9);
        m.put("timing_s/reward", b.scoringNanos() / 1e9);
        m.put("timing_s/update", (now - s0 - b.generatingNanos() - b.scoringNanos()) / 1e9);
        m.put("timing_s/step", (now - s0) / 1e9);
    }

    /**
     * Reward and accuracy of each domain's samples ({@code domain/math/reward_mean}, {@code domain/code/score_mean},
     * {@code domain/code/samples}): a run that mixes math and code shows each verifier's signal on its own.
     */
    private static void putByDomain(Map<String, Double> m, List<Problem> owners, List<RewardResult> results) {
        Map<String, double[]> byDomain = new TreeMap<>(); // domain -> {reward sum, score sum, samples}
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
}
