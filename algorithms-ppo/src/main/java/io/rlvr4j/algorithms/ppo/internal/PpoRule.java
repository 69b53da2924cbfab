package io.rlvr4j.algorithms.ppo.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.math.GroupStats;
import io.rlvr4j.api.math.KlController;
import io.rlvr4j.api.math.TokenAdvantages;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.ValueObjective;
import io.rlvr4j.algorithms.kit.ActorBatch;
import io.rlvr4j.algorithms.kit.MiniBatches;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import io.rlvr4j.algorithms.kit.StepMeans;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * PPO's update with a critic (verl's {@code adv_estimator: gae}). One {@link #update}:
 * <ol>
 *   <li>the actor's log-probs of the batch (the old policy), the reference's (when a KL term is on), both
 *       at the rollouts' sampling temperature, and the critic's values, once, before any step;
 *   <li>per-token rewards: the outcome on the last token, less {@code kl_reward_coef * kl_t} on every
 *       token when the KL penalty is in the reward (fixed or adaptive);
 *   <li>GAE with {@code gamma} and {@code lambda} per response; the critic's targets are {@code A + V};
 *       the advantages are whitened over the batch's tokens ({@code whiten_advantages});
 *   <li>{@code epochs} passes, each over {@code mini_batches} parts of the prompt groups: one critic step
 *       (clipped value loss, {@code value_clip}) and, once {@code critic_warmup} updates have passed, one
 *       actor step (the clipped policy-gradient loss) per part ({@link ActorBatch}; with
 *       {@code mask_truncated}, truncated responses are left out of the actor's loss, not the critic's).
 * </ol>
 * Statistics: {@code actor/*} and {@code critic/*} (each averaged over its steps), {@code actor/steps},
 * {@code critic/steps}, {@code reward/mean}, {@code advantage/mean}, {@code advantage/abs_mean},
 * {@code critic/old_value_mean}, {@code critic/return_mean}, {@code critic/explained_variance}
 * ({@code 1 - Var(R - V) / Var(R)} over the batch's tokens, with the values before the update), and
 * {@code kl_reward/coef}, {@code kl_reward/kl} with a KL penalty in the reward.
 *
 * <p>The KL controller and the count of updates (for {@code critic_warmup}) are the rule's state; a
 * resumed run starts them again.
 */
final class PpoRule implements UpdateRule {

    private final PolicyGradientSettings settings;
    private final double gamma;
    private final double lambda;
    private final double valueClip;
    private final boolean whiten;
    private final int criticWarmup;
    private final KlController klReward;
    private final IntFunction<ConfigException> miniBatchError;
    private int updates;

    /** @param miniBatchError the error for a batch with fewer prompt groups than {@code mini_batches} */
    PpoRule(PolicyGradientSettings settings, double gamma, double lambda, double valueClip, boolean whiten, int criticWarmup,
            IntFunction<ConfigException> miniBatchError) {
        this.settings = settings;
        this.miniBatchError = miniBatchError;
        this.gamma = gamma;
        this.lambda = lambda;
        this.valueClip = valueClip;
        this.whiten = whiten;
        this.criticWarmup = criticWarmup;
        this.klReward = settings.klReward().controller();
    }

    @Override
    public Set<ModelRole> requiredRoles() {
        return needsReference() ? EnumSet.of(ModelRole.ACTOR, ModelRole.CRITIC, ModelRole.REFERENCE)
                : EnumSet.of(ModelRole.ACTOR, ModelRole.CRITIC);
    }

    /** The count of updates (for {@code critic_warmup}) and the adaptive KL coefficient, when there is one. */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("updates", updates);
        if (klReward.adaptive()) s.put("kl_coef", klReward.coefficient());
        return s;
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (!(state.get("updates") instanceof Number n)) throw new IllegalArgumentException("the saved state has no updates count: " + state);
        updates = n.intValue();
        if (klReward.adaptive()) {
            if (!(state.get("kl_coef") instanceof Number coef)) throw new IllegalArgumentException("the saved state has no kl_coef: " + state);
            klReward.restore(coef.doubleValue());
        }
    }

    /** One group per mini-batch. */
    @Override
    public int minGroupsPerStep() {
        return settings.miniBatches();
    }

    /** With {@code filter_zero_std}, drops the groups whose rewards are all equal (dynamic sampling, as for the group estimators). */
    @Override
    public List<RolloutGroup> filter(List<RolloutGroup> groups) {
        return settings.filterZeroStd() ? groups.stream().filter(g -> !GroupStats.allEqual(g.rewardValues())).toList() : groups;
    }

    private boolean needsReference() {
        return settings.kl().active() || settings.klReward().active();
    }

    @Override
    public Map<String, Double> update(List<RolloutGroup> groups, Models models) {
        // without filtering, fewer groups than mini-batches is a configuration mismatch; with it, chance
        if (!groups.isEmpty() && !settings.filterZeroStd() && settings.miniBatches() > groups.size()) {
            throw miniBatchError.apply(groups.size());
        }
        Map<String, Double> stats = new LinkedHashMap<>();
        ActorBatch batch = ActorBatch.of(groups);
        List<TokenSequence> sequences = batch.sequences();
        double[] outcomes = groups.stream().flatMapToDouble(g -> Arrays.stream(g.rewardValues())).toArray();
        stats.put("reward/mean", Arrays.stream(outcomes).average().orElse(0));
        if (sequences.isEmpty()) {
            stats.put("actor/steps", 0.0);
            stats.put("critic/steps", 0.0);
            return stats;
        }

        double temperature = models.samplingTemperature();
        float[][] oldLogProbs = models.logProbs(ModelRole.ACTOR, sequences, temperature);
        float[][] refLogProbs = needsReference() ? models.logProbs(ModelRole.REFERENCE, sequences, temperature) : null;
        float[][] oldValues = models.values(sequences);

        double coef = settings.klReward().active() ? klReward.coefficient() : 0;
        float[][] advantages = new float[sequences.size()][];
        float[][] returns = new float[sequences.size()][];
        double klMean = 0;
        for (int i = 0; i < sequences.size(); i++) {
            float[] ref = refLogProbs == null ? null : refLogProbs[i];
            float[] rewards = TokenAdvantages.shapedRewards(outcomes[i], oldLogProbs[i], ref, coef, settings.klReward().estimator());
            TokenAdvantages.Gae gae = TokenAdvantages.gae(rewards, oldValues[i], gamma, lambda);
            advantages[i] = gae.advantages();
            returns[i] = gae.returns();
            if (coef > 0 && oldLogProbs[i].length > 0) {
                klMean += TokenAdvantages.klSum(oldLogProbs[i], ref, settings.klReward().estimator()) / oldLogProbs[i].length;
            }
        }
        if (settings.klReward().active()) {
            klMean /= sequences.size();
            stats.put("kl_reward/coef", coef);
            stats.put("kl_reward/kl", klMean);
            klReward.update(klMean, sequences.size());
        }
        if (whiten) advantages = TokenAdvantages.whiten(advantages, true);
        putBatchStats(stats, advantages, returns, oldValues);

        if (settings.maskTruncated()) stats.put("actor/masked_truncated", (double) batch.masked(settings));
        boolean trainActor = updates >= criticWarmup;
        updates++;
        StepMeans means = new StepMeans();
        int actorSteps = 0;
        int criticSteps = 0;
        for (List<Integer> rows : batch.steps(settings)) {
            // the critic learns the value of every response, truncated ones included
            ValueObjective value = new ValueObjective(MiniBatches.rows(sequences, rows), MiniBatches.rows(returns, rows),
                    MiniBatches.rows(oldValues, rows), valueClip, settings.aggregation(), batch.budget());
            means.add("critic/", models.train(ModelRole.CRITIC, value));
            criticSteps++;
            PolicyGradientObjective pg = trainActor
                    ? batch.objective(settings, rows, advantages, oldLogProbs, refLogProbs, temperature) : null;
            if (pg != null) {
                means.add("actor/", models.train(ModelRole.ACTOR, pg));
                actorSteps++;
            }
        }
        means.putInto(stats);
        stats.put("actor/steps", (double) actorSteps);
        stats.put("critic/steps", (double) criticSteps);
        return stats;
    }

    /** Advantage, return and value statistics over the batch's tokens, and the critic's explained variance. */
    private static void putBatchStats(Map<String, Double> stats, float[][] advantages, float[][] returns, float[][] values) {
        double adv = 0;
        double abs = 0;
        double ret = 0;
        double val = 0;
        long n = 0;
        for (int i = 0; i < advantages.length; i++) {
            for (int t = 0; t < advantages[i].length; t++) {
                adv += advantages[i][t];
                abs += Math.abs(advantages[i][t]);
                ret += returns[i][t];
                val += values[i][t];
                n++;
            }
        }
        stats.put("advantage/mean", n == 0 ? 0 : adv / n);
        stats.put("advantage/abs_mean", n == 0 ? 0 : abs / n);
        stats.put("critic/return_mean", n == 0 ? 0 : ret / n);
        stats.put("critic/old_value_mean", n == 0 ? 0 : val / n);
        stats.put("critic/explained_variance", explainedVariance(returns, values));
    }

    /** {@return {@code 1 - Var(R - V) / Var(R)}} over every token, unbiased variances; NaN when the returns do not vary */
    static double explainedVariance(float[][] returns, float[][] values) {
        double rSum = 0;
        double dSum = 0;
        long n = 0;
        for (int i = 0; i < returns.length; i++) {
            for (int t = 0; t < returns[i].length; t++) {
                rSum += returns[i][t];
                dSum += returns[i][t] - values[i][t];
                n++;
            }
        }
        if (n < 2) return Double.NaN;
        double rMean = rSum / n;
        double dMean = dSum / n;
        double rVar = 0;
        double dVar = 0;
        for (int i = 0; i < returns.length; i++) {
            for (int t = 0; t < returns[i].length; t++) {
                double r = returns[i][t] - rMean;
                double d = returns[i][t] - values[i][t] - dMean;
                rVar += r * r;
                dVar += d * d;
            }
        }
        return rVar == 0 ? Double.NaN : 1 - dVar / rVar;
    }
}
