package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.math.KlController;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.math.TokenAdvantages;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.algorithms.kit.ActorBatch;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The update of RLOO, GRPO and REINFORCE++: per-token advantages from an {@link AdvantageEstimator},
 * trained with the clipped policy-gradient loss of {@link PolicyGradientObjective}.
 *
 * <p>One {@link #update} on a batch of prompt groups:
 * <ol>
 *   <li>checks that every group has the samples the estimator needs (a group baseline needs company);
 *   <li>drops the groups whose rewards are all equal when {@code filter_zero_std} is on (their
 *       advantages are 0 under a group baseline: they only dilute the loss);
 *   <li>computes the old log-probs of the actor once, before any step (and the reference's, if a KL
 *       term is on), at the rollouts' sampling temperature, so every epoch's ratio is measured against
 *       the distribution that sampled;
 *   <li>with a KL penalty in the reward, takes {@code coef * kl(old, ref)} off every token's reward
 *       (the outcome sits on the last token; a sequence's reward is the outcome less the summed penalty),
 *       and lets an adaptive controller move the coefficient after the step;
 *   <li>asks the estimator for the advantages;
 *   <li>takes the optimiser steps of {@link ActorBatch}: {@code epochs} passes of {@code mini_batches}
 *       parts of whole groups, truncated responses left out with {@code mask_truncated}.
 * </ol>
 * Without {@code filter_zero_std}, a batch of fewer groups than {@code mini_batches} is a configuration
 * error. With it, filtering may leave fewer groups than mini-batches by chance: then each kept group is
 * its own mini-batch.
 * The loss-aggregation budget (Dr. GRPO's constant) is the longest response in the batch, at least 1.
 *
 * <p>Statistics: the train statistics averaged over the steps, prefixed {@code actor/}; {@code actor/steps};
 * {@code actor/masked_truncated} (with {@code mask_truncated}: responses left out of the loss);
 * {@code reward/mean} (all samples received); {@code groups/kept}; {@code groups/zero_std_frac} (of the
 * groups received); {@code advantage/mean} and {@code advantage/abs_mean} over the batch's response tokens;
 * with a KL penalty in the reward, {@code kl_reward/coef} (the coefficient used) and {@code kl_reward/kl}
 * (the mean over sequences of the mean per-token KL, what the controller follows).
 * When no group is left, nothing is trained and {@code actor/steps} is 0.
 *
 * <p>The adaptive KL controller is the rule's only state; {@link #update} is not meant to run
 * concurrently with itself.
 */
final class GroupPolicyGradientRule implements UpdateRule {

    private final String algorithm;
    private final PolicyGradientSettings settings;
    private final AdvantageEstimator estimator;
    private final IntFunction<ConfigException> miniBatchError;
    private final String samplesKey;
    private final KlController klReward;

    /**
     * @param algorithm the name shown in errors, e.g. {@code RLOO}
     * @param miniBatchError the error for a batch with fewer groups than {@code mini_batches}
     * @param samplesKey the configuration key of the number of samples per prompt, e.g. {@code stages[1].n}
     */
    GroupPolicyGradientRule(String algorithm, PolicyGradientSettings settings, AdvantageEstimator estimator,
                            IntFunction<ConfigException> miniBatchError, String samplesKey) {
        this.algorithm = algorithm;
        this.settings = settings;
        this.estimator = estimator;
        this.miniBatchError = miniBatchError;
        this.samplesKey = samplesKey;
        this.klReward = settings.klReward().controller();
    }

    PolicyGradientSettings settings() {
        return settings;
    }

    @Override
    public Set<ModelRole> requiredRoles() {
        return needsReference() ? EnumSet.of(ModelRole.ACTOR, ModelRole.REFERENCE) : EnumSet.of(ModelRole.ACTOR);
    }

    private boolean needsReference() {
        return settings.kl().active() || settings.klReward().active();
    }

    /** The adaptive KL-in-reward coefficient, when there is one. */
    @Override
    public Map<String, Object> state() {
        return klReward.adaptive() ? Map.of("kl_coef", klReward.coefficient()) : Map.of();
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (klReward.adaptive()) {
            if (!(state.get("kl_coef") instanceof Number coef)) throw new IllegalArgumentException("the saved state has no kl_coef: " + state);
            klReward.restore(coef.doubleValue());
        } else if (!state.isEmpty()) {
            throw new IllegalArgumentException("this " + algorithm + " keeps no state, but the saved one holds " + state.keySet());
        }
    }

    /** One group per mini-batch. */
    @Override
    public int minGroupsPerStep() {
        return settings.miniBatches();
    }

    @Override
    public int minSamplesPerPrompt() {
        return estimator.minSamples();
    }

    @Override
    public List<RolloutGroup> filter(List<RolloutGroup> groups) {
        return settings.filterZeroStd() ? groups.stream().filter(GroupAdvantages::hasSignal).toList() : groups;
    }

    @Override
    public Map<String, Double> update(List<RolloutGroup> groups, Models models) {
        for (RolloutGroup g : groups) {
            if (g.size() < estimator.minSamples()) {
                throw new ConfigException(samplesKey, samplesKey + " = " + g.size() + " — " + algorithm
                        + " needs at least " + estimator.minSamples() + " samples per prompt to form a baseline (problem "
                        + g.problem().id() + " has " + g.size() + "). Set " + samplesKey + " >= " + estimator.minSamples() + ".");
            }
        }
        // without filtering, fewer groups than mini-batches is a configuration mismatch; with filtering it
        // is chance (the loop may already have filtered), so fewer, larger steps are taken instead
        if (!settings.filterZeroStd() && settings.miniBatches() > groups.size() && !groups.isEmpty()) {
            throw miniBatchError.apply(groups.size());
        }

        Map<String, Double> stats = new LinkedHashMap<>();
        long samples = 0;
        double rewardSum = 0;
        int zeroStd = 0;
        for (RolloutGroup g : groups) {
            for (double r : g.rewardValues()) rewardSum += r;
            samples += g.size();
            if (!GroupAdvantages.hasSignal(g)) zeroStd++;
        }
        List<RolloutGroup> kept = filter(groups);
        stats.put("reward/mean", samples == 0 ? 0 : rewardSum / samples);
        stats.put("groups/kept", (double) kept.size());
        stats.put("groups/zero_std_frac", groups.isEmpty() ? 0 : (double) zeroStd / groups.size());
        if (kept.isEmpty()) {
            stats.put("actor/steps", 0.0);
            return stats;
        }

        ActorBatch batch = ActorBatch.of(kept);
        List<TokenSequence> sequences = batch.sequences();
        double temperature = models.samplingTemperature();
        float[][] oldLogProbs = models.logProbs(ModelRole.ACTOR, sequences, temperature);
        float[][] refLogProbs = needsReference() ? models.logProbs(ModelRole.REFERENCE, sequences, temperature) : null;
        float[][] advantages = advantages(kept, sequences, oldLogProbs, refLogProbs, stats);
        batch.train(settings, models, advantages, oldLogProbs, refLogProbs, stats);
        return stats;
    }

    /** The rewards, shaped by the KL penalty if there is one, and the estimator's advantages of them. */
    private float[][] advantages(List<RolloutGroup> kept, List<TokenSequence> sequences, float[][] oldLogProbs, float[][] refLogProbs,
                                 Map<String, Double> stats) {
        double coef = settings.klReward().active() ? klReward.coefficient() : 0;
        KlEstimator est = settings.klReward().estimator();
        double[] sequenceRewards = new double[sequences.size()];
        float[][] tokenRewards = new float[sequences.size()][];
        double klMean = 0;
        int i = 0;
        for (RolloutGroup g : kept) {
            for (double outcome : g.rewardValues()) {
                tokenRewards[i] = TokenAdvantages.shapedRewards(outcome, oldLogProbs[i], refLogProbs == null ? null : refLogProbs[i], coef, est);
                double kl = coef == 0 ? 0 : TokenAdvantages.klSum(oldLogProbs[i], refLogProbs[i], est);
                sequenceRewards[i] = outcome - coef * kl;
                klMean += oldLogProbs[i].length == 0 ? 0 : kl / oldLogProbs[i].length;
                i++;
            }
        }
        if (settings.klReward().active()) {
            klMean /= sequences.size();
            stats.put("kl_reward/coef", coef);
            stats.put("kl_reward/kl", klMean);
            klReward.update(klMean, sequences.size());
        }
        return estimator.advantages(kept, sequences, sequenceRewards, tokenRewards);
    }
}
