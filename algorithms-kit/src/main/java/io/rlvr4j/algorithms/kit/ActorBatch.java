package io.rlvr4j.algorithms.kit;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The actor's side of one policy-gradient update, shared by RLOO, GRPO, REINFORCE++, PPO and PRIME: the
 * batch's sequences in prompt-group order, the optimiser steps they are split into, and the clipped
 * policy-gradient objective of each step.
 *
 * <p>Steps: for each of {@code epochs} passes, the groups are shuffled and split into
 * {@code min(mini_batches, groups)} parts of whole groups (a group baseline's samples stay together),
 * with a seed derived from {@code seed}, the epoch and the batch's problem ids, so the split is
 * reproducible without state. With {@code mask_truncated}, responses cut at the token limit are left
 * out of every objective (DAPO's overlong filtering) but kept in the batch: their rewards still count
 * in their group's baseline.
 */
public final class ActorBatch {

    private final List<TokenSequence> sequences = new ArrayList<>();
    private final int[] groupStarts;
    private final boolean[] truncated;
    private final long fingerprint;
    private final int budget;

    private ActorBatch(List<RolloutGroup> groups) {
        groupStarts = new int[groups.size() + 1];
        List<Boolean> cut = new ArrayList<>();
        long print = 17;
        for (int k = 0; k < groups.size(); k++) {
            groupStarts[k] = sequences.size();
            for (Generation g : groups.get(k).generations()) {
                sequences.add(g.sequence());
                cut.add(g.finishReason() == Generation.FinishReason.LENGTH);
            }
            print = 31 * print + groups.get(k).problem().id().hashCode();
        }
        groupStarts[groups.size()] = sequences.size();
        truncated = new boolean[cut.size()];
        for (int i = 0; i < truncated.length; i++) truncated[i] = cut.get(i);
        fingerprint = print;
        budget = Math.max(1, sequences.stream().mapToInt(TokenSequence::responseLength).max().orElse(1));
    }

    /** {@return the batch of {@code groups}, their sequences in order} */
    public static ActorBatch of(List<RolloutGroup> groups) {
        return new ActorBatch(groups);
    }

    /** {@return every sequence, group by group, each group's in sampling order} */
    public List<TokenSequence> sequences() {
        return sequences;
    }

    /** {@return the number of prompt groups} */
    public int groups() {
        return groupStarts.length - 1;
    }

    /** {@return the index of the first sequence of group {@code k}}; {@code k = groups()} gives the count */
    public int groupStart(int k) {
        return groupStarts[k];
    }

    /** {@return whether sequence {@code i} was cut at the token limit} */
    public boolean truncated(int i) {
        return truncated[i];
    }

    /** {@return the constant of seq-mean-token-sum-norm (Dr. GRPO): the longest response, at least 1} */
    public int budget() {
        return budget;
    }

    /**
     * {@return the sequence rows of each optimiser step, in order: {@code epochs} passes of
     * {@code min(mini_batches, groups)} parts of whole groups} (empty for an empty batch)
     */
    public List<List<Integer>> steps(PolicyGradientSettings settings) {
        List<List<Integer>> out = new ArrayList<>();
        if (groups() == 0) return out;
        int parts = Math.min(settings.miniBatches(), groups());
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int[] part : MiniBatches.split(groups(), parts, MiniBatches.seed(settings.seed(), epoch, fingerprint))) {
                List<Integer> rows = new ArrayList<>();
                for (int k : part) {
                    for (int i = groupStarts[k]; i < groupStarts[k + 1]; i++) rows.add(i);
                }
                out.add(rows);
            }
        }
        return out;
    }

    /** {@return the number of sequences left out of the policy loss under {@code settings}} */
    public int masked(PolicyGradientSettings settings) {
        if (!settings.maskTruncated()) return 0;
        int n = 0;
        for (boolean t : truncated) if (t) n++;
        return n;
    }

    /**
     * {@return the actor's objective on {@code rows}, less the rows masked under {@code settings}}, or
     * {@code null} when every row is masked (the step is skipped)
     *
     * @param advantages per-token advantages of every sequence of the batch
     * @param oldLogProbs the actor's log-probs before the update, at {@code temperature}
     * @param refLogProbs the reference's, at {@code temperature}; read only when {@code settings.kl()} is active
     * @param temperature the sampling temperature of the rollouts
     */
    public PolicyGradientObjective objective(PolicyGradientSettings settings, List<Integer> rows, float[][] advantages,
                                             float[][] oldLogProbs, float[][] refLogProbs, double temperature) {
        List<Integer> kept = settings.maskTruncated() ? rows.stream().filter(i -> !truncated[i]).toList() : rows;
        if (kept.isEmpty()) return null;
        return new PolicyGradientObjective(MiniBatches.rows(sequences, kept), MiniBatches.rows(advantages, kept),
                MiniBatches.rows(oldLogProbs, kept), settings.kl().active() ? MiniBatches.rows(refLogProbs, kept) : null,
                settings.clip(), settings.dualClip(), settings.kl(), settings.entropyCoefficient(), settings.aggregation(),
                budget, temperature);
    }

    /**
     * Takes every step of {@link #steps} on the actor, each on its {@link #objective} at
     * {@code models.samplingTemperature()}, and puts into {@code stats} {@code advantage/mean} and
     * {@code advantage/abs_mean} (over every response token of the batch), the steps' statistics
     * averaged, prefixed {@code actor/}, {@code actor/steps} and, with {@code mask_truncated},
     * {@code actor/masked_truncated}.
     *
     * @param oldLogProbs the actor's log-probs before the update, at the sampling temperature
     * @param refLogProbs the reference's, at the sampling temperature; read only when {@code settings.kl()} is active
     */
    public void train(PolicyGradientSettings settings, UpdateRule.Models models, float[][] advantages, float[][] oldLogProbs,
                      float[][] refLogProbs, Map<String, Double> stats) {
        double sum = 0;
        double abs = 0;
        long tokens = 0;
        for (float[] row : advantages) {
            for (float a : row) {
                sum += a;
                abs += Math.abs(a);
            }
            tokens += row.length;
        }
        stats.put("advantage/mean", tokens == 0 ? 0 : sum / tokens);
        stats.put("advantage/abs_mean", tokens == 0 ? 0 : abs / tokens);
        StepMeans means = new StepMeans();
        int steps = 0;
        for (List<Integer> rows : steps(settings)) {
            PolicyGradientObjective o = objective(settings, rows, advantages, oldLogProbs, refLogProbs, models.samplingTemperature());
            if (o == null) continue;
            means.add("actor/", models.train(ModelRole.ACTOR, o));
            steps++;
        }
        means.putInto(stats);
        stats.put("actor/steps", (double) steps);
        if (settings.maskTruncated()) stats.put("actor/masked_truncated", (double) masked(settings));
    }
}
