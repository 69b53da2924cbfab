package io.rlvr4j.algorithms.prime.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.math.TokenAdvantages;
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import io.rlvr4j.algorithms.kit.ActorBatch;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRIME's update (Cui et al. 2025, "Process Reinforcement through Implicit Rewards", arXiv:2502.01456),
 * as verl's PRIME recipe computes it. One {@link #update}:
 * <ol>
 *   <li>keeps the groups whose accuracy (mean verifier score) lies in {@code [accuracy_low, accuracy_high]}
 *       ({@link #filter}; with the RL stage's {@code refill_rounds}, more prompts are sampled to fill the batch);
 *   <li>with {@code prm_update: before}, trains the implicit PRM on the batch's outcome labels first;
 *   <li>the process reward of every token from the PRM and its reference (the frozen SFT policy), both read
 *       at temperature 1: {@code r_t = beta * (log pi_prm(y_t) - log pi_ref(y_t))};
 *   <li>leave-one-out baselines on both rewards within each prompt's group: a token's process reward becomes
 *       {@code r_t * n/(n-1) - sum_j mean_t(r^j) / (n-1)}, the outcome (on the last token)
 *       {@code o_i - mean of the others}; weighted by {@code process_coef} and {@code outcome_coef} and summed;
 *   <li>returns (the sum of the rewards ahead, {@code gamma = 1}) whitened over the batch's tokens are the
 *       advantages of the clipped policy-gradient step ({@code epochs} x {@code mini_batches}, at the
 *       sampling temperature; {@link ActorBatch});
 *   <li>with {@code prm_update: after} (the default), trains the PRM after the policy.
 * </ol>
 * The PRM is trained with {@link ImplicitPrmObjective}: binary cross-entropy of
 * {@code sigmoid(beta * sum_t (log pi_prm - log pi_ref))} against the verifier's score.
 *
 * <p>Statistics: {@code actor/*}, {@code prm/*} (the PRM step's, e.g. {@code prm/loss}, {@code prm/accuracy}:
 * how often the implicit reward's sign agreed with the label before the step), {@code prm/process_reward_mean}
 * (per token), {@code groups/band_kept}, {@code reward/mean}, {@code advantage/mean}, {@code advantage/abs_mean}.
 */
final class PrimeRule implements UpdateRule {

    /** When the PRM learns from a batch, relative to the policy. */
    enum PrmUpdate {
        BEFORE, AFTER, NONE
    }

    private final PolicyGradientSettings settings;
    private final double beta;
    private final double processCoef;
    private final double outcomeCoef;
    private final double accuracyLow;
    private final double accuracyHigh;
    private final PrmUpdate prmUpdate;
    private final String samplesKey;

    PrimeRule(PolicyGradientSettings settings, double beta, double processCoef, double outcomeCoef, double accuracyLow,
              double accuracyHigh, PrmUpdate prmUpdate, String samplesKey) {
        this.settings = settings;
        this.beta = beta;
        this.processCoef = processCoef;
        this.outcomeCoef = outcomeCoef;
        this.accuracyLow = accuracyLow;
        this.accuracyHigh = accuracyHigh;
        this.prmUpdate = prmUpdate;
        this.samplesKey = samplesKey;
    }

    @Override
    public Set<ModelRole> requiredRoles() {
        // the reference is the PRM's: the implicit reward is a log-ratio to the frozen starting policy
        return EnumSet.of(ModelRole.ACTOR, ModelRole.IMPLICIT_PRM, ModelRole.REFERENCE);
    }

    /** One group per mini-batch. */
    @Override
    public int minGroupsPerStep() {
        return settings.miniBatches();
    }

    @Override
    public int minSamplesPerPrompt() {
        return 2;
    }

    /** Keeps the groups whose accuracy lies in the band: all-correct and all-wrong groups teach the policy nothing. */
    @Override
    public List<RolloutGroup> filter(List<RolloutGroup> groups) {
        return groups.stream().filter(g -> {
            double acc = java.util.Arrays.stream(g.scores()).average().orElse(0);
            return acc >= accuracyLow && acc <= accuracyHigh;
        }).toList();
    }

    @Override
    public Map<String, Double> update(List<RolloutGroup> groups, Models models) {
        for (RolloutGroup g : groups) {
            if (g.size() < 2) {
                throw new ConfigException(samplesKey, samplesKey + " = " + g.size() + " — PRIME needs at least 2 samples per prompt for "
                        + "its leave-one-out baselines (problem " + g.problem().id() + "). Set " + samplesKey + " >= 2.");
            }
        }
        Map<String, Double> stats = new LinkedHashMap<>();
        List<RolloutGroup> kept = filter(groups);
        stats.put("groups/band_kept", (double) kept.size());
        stats.put("reward/mean", groups.stream().flatMapToDouble(g -> java.util.Arrays.stream(g.rewardValues())).average().orElse(0));
        if (kept.isEmpty()) {
            stats.put("actor/steps", 0.0);
            return stats;
        }

        ActorBatch batch = ActorBatch.of(kept);
        List<TokenSequence> sequences = batch.sequences();
        float[] labels = new float[sequences.size()];
        double[] outcomes = new double[sequences.size()];
        int i = 0;
        for (RolloutGroup g : kept) {
            for (int j = 0; j < g.size(); j++, i++) {
                labels[i] = (float) Math.max(0, Math.min(1, g.scores()[j]));
                outcomes[i] = g.rewardValues()[j];
            }
        }

        // the implicit reward is the PRM's own log-ratio (temperature 1); the actor's loss is taken at the
        // sampling temperature, and so is the KL reference when a KL term is on
        double temperature = models.samplingTemperature();
        float[][] oldLogProbs = models.logProbs(ModelRole.ACTOR, sequences, temperature);
        float[][] refLogProbs = models.logProbs(ModelRole.REFERENCE, sequences, 1.0);
        float[][] klRefLogProbs = !settings.kl().active() ? null
                : temperature == 1.0 ? refLogProbs : models.logProbs(ModelRole.REFERENCE, sequences, temperature);
        if (prmUpdate == PrmUpdate.BEFORE) trainPrm(models, sequences, labels, refLogProbs, stats);
        float[][] prmLogProbs = models.logProbs(ModelRole.IMPLICIT_PRM, sequences, 1.0);

        float[][] process = processRewards(prmLogProbs, refLogProbs, beta);
        putProcessStats(stats, process);
        float[][] advantages = advantages(kept, sequences, process, outcomes, processCoef, outcomeCoef);
        // the band leaves a varying number of groups: fewer than mini_batches means fewer, larger steps
        batch.train(settings, models, advantages, oldLogProbs, klRefLogProbs, stats);
        if (prmUpdate == PrmUpdate.AFTER) trainPrm(models, sequences, labels, refLogProbs, stats);
        return stats;
    }

    private void trainPrm(Models models, List<TokenSequence> sequences, float[] labels, float[][] refLogProbs, Map<String, Double> stats) {
        models.train(ModelRole.IMPLICIT_PRM, new ImplicitPrmObjective(sequences, labels, beta, refLogProbs))
                .forEach((key, value) -> stats.put("prm/" + key, value));
    }

    /** {@return {@code beta * (prm - ref)} per token} */
    static float[][] processRewards(float[][] prm, float[][] ref, double beta) {
        float[][] out = new float[prm.length][];
        for (int i = 0; i < prm.length; i++) {
            out[i] = new float[prm[i].length];
            for (int t = 0; t < prm[i].length; t++) out[i][t] = (float) (beta * (prm[i][t] - ref[i][t]));
        }
        return out;
    }

    /**
     * {@return PRIME's advantages}: leave-one-out process and outcome rewards per group, weighted and summed,
     * their returns (reverse cumulative sums) whitened over the batch (verl's {@code compute_rloo_advantage_return})
     */
    static float[][] advantages(List<RolloutGroup> groups, List<TokenSequence> sequences, float[][] process, double[] outcomes,
                                double processCoef, double outcomeCoef) {
        float[][] rewards = new float[sequences.size()][];
        int start = 0;
        for (RolloutGroup g : groups) {
            int n = g.size();
            double meanSum = 0; // sum over the group of each sequence's mean process reward
            double outcomeSum = 0;
            for (int i = start; i < start + n; i++) {
                double s = 0;
                for (float r : process[i]) s += r;
                meanSum += process[i].length == 0 ? 0 : s / process[i].length;
                outcomeSum += outcomes[i];
            }
            for (int i = start; i < start + n; i++) {
                float[] r = new float[process[i].length];
                for (int t = 0; t < r.length; t++) {
                    r[t] = (float) (processCoef * (process[i][t] * n / (n - 1.0) - meanSum / (n - 1)));
                }
                if (r.length > 0) r[r.length - 1] += (float) (outcomeCoef * (outcomes[i] * n / (n - 1.0) - outcomeSum / (n - 1)));
                rewards[i] = TokenAdvantages.discountedReturns(r, 1.0);
            }
            start += n;
        }
        return TokenAdvantages.whiten(rewards, true);
    }

    private static void putProcessStats(Map<String, Double> stats, float[][] process) {
        double sum = 0;
        long n = 0;
        for (float[] row : process) {
            for (float v : row) sum += v;
            n += row.length;
        }
        stats.put("prm/process_reward_mean", n == 0 ? 0 : sum / n);
    }
}
