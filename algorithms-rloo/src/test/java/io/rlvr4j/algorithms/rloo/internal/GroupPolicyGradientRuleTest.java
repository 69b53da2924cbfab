package io.rlvr4j.algorithms.rloo.internal;

import static io.rlvr4j.api.contract.Rollouts.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.RecordingModels;
import io.rlvr4j.api.contract.Rollouts;
import io.rlvr4j.api.math.Baselines;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupPolicyGradientRuleTest {

    private static UpdateRule rloo(Map<String, ?> settings) {
        return new RlooAlgorithm().create(new Settings("stages[1].algorithm", settings, Path.of(""), key -> "run.yaml:9"));
    }

    private static UpdateRule grpo(Map<String, ?> settings) {
        return new GrpoAlgorithm().create(Settings.of(settings));
    }

    private static List<RolloutGroup> batch(int groups) {
        return IntStream.range(0, groups).mapToObj(k -> group("p" + k, k % 2, 1, 0, k % 3 == 0 ? 1 : 0)).toList();
    }

    /** {@return the per-sequence advantage of each row (the value every token of the row carries)} */
    private static double[] sequenceAdvantages(PolicyGradientObjective o) {
        return Arrays.stream(o.advantages()).mapToDouble(row -> {
            for (float a : row) assertThat(a).as("one advantage per sequence, broadcast to its tokens").isEqualTo(row[0]);
            return row[0];
        }).toArray();
    }

    @Test
    void leaveOneOutAdvantagesSumToZeroPerGroupAndMatchTheBaseline() {
        List<RolloutGroup> groups = List.of(group("a", 1, 0, 0, 1), group("b", 1, 1, 0), group("c", 0.5, -1, 0.25, 2, 0));
        RecordingModels models = new RecordingModels();
        rloo(Map.of()).update(groups, models);
        double[] adv = sequenceAdvantages(models.trained.getFirst());
        int at = 0;
        for (RolloutGroup g : groups) {
            double[] expected = Baselines.leaveOneOut(g.rewardValues());
            double[] actual = Arrays.copyOfRange(adv, at, at + g.size());
            assertThat(Arrays.stream(actual).sum()).isCloseTo(0, within(1e-6));
            for (int i = 0; i < expected.length; i++) assertThat(actual[i]).isCloseTo(expected[i], within(1e-6));
            at += g.size();
        }
        assertThat(at).isEqualTo(adv.length);
    }

    @Test
    void everyResponseTokenCarriesItsSequencesAdvantage() {
        RecordingModels models = new RecordingModels();
        rloo(Map.of()).update(List.of(group("a", 1, 0, 0)), models);
        PolicyGradientObjective o = models.trained.getFirst();
        for (int i = 0; i < o.sequences().size(); i++) {
            assertThat(o.advantages()[i]).hasSize(o.sequences().get(i).responseLength());
        }
        assertThat(o.advantages()[0]).containsOnly(1f);      // 1 - (0 + 0) / 2
        assertThat(o.advantages()[1]).containsOnly(-0.5f);   // 0 - (1 + 0) / 2
    }

    @Test
    void sequencesArePromptThenResponse() {
        RolloutGroup g = group("a", 1, 0);
        RecordingModels models = new RecordingModels();
        rloo(Map.of()).update(List.of(g), models);
        List<TokenSequence> seqs = models.trained.getFirst().sequences();
        assertThat(seqs.get(1).tokens()).isEqualTo(g.generations().get(1).sequence().tokens());
        assertThat(seqs.get(1).promptLength()).isEqualTo(2);
    }

    @Test
    void theObjectiveCarriesTheSettings() {
        UpdateRule rule = rloo(Map.of("clip_low", 0.2, "clip_high", 0.28, "dual_clip", 3, "entropy_coef", 0.001,
                "loss_agg", "seq-mean-token-sum-norm"));
        RecordingModels models = new RecordingModels();
        rule.update(List.of(group("a", 1, 0, 0, 0)), models);
        PolicyGradientObjective o = models.trained.getFirst();
        assertThat(o.clip()).isEqualTo(new ClipRange(0.2, 0.28));
        assertThat(o.dualClip()).isEqualTo(3);
        assertThat(o.entropyCoefficient()).isEqualTo(0.001);
        assertThat(o.aggregation()).isEqualTo(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM);
        assertThat(o.kl().active()).isFalse();
        assertThat(o.refLogProbs()).isNull();
        assertThat(o.budget()).as("the longest response").isEqualTo(4);
    }

    @Test
    void defaultsArePpoClippingWithoutKl() {
        PolicyGradientSettings s = ((GroupPolicyGradientRule) rloo(Map.of())).settings();
        assertThat(s).isEqualTo(new PolicyGradientSettings(new ClipRange(0.2, 0.2), 0, new io.rlvr4j.api.objective.KlPenalty(0, KlEstimator.K3),
                0, LossAggregation.TOKEN_MEAN, 1, 1, false, 0, PolicyGradientSettings.KlReward.NONE, false));
    }

    @Test
    void withoutKlOnlyTheActorIsNeeded() {
        assertThat(rloo(Map.of()).requiredRoles()).containsExactly(ModelRole.ACTOR);
        assertThat(rloo(Map.of("kl_coef", 0.0)).requiredRoles()).containsExactly(ModelRole.ACTOR);
    }

    @Test
    void klNeedsTheReferenceAndPassesItsLogProbs() {
        UpdateRule rule = rloo(Map.of("kl_coef", 0.05, "kl_estimator", "k1"));
        assertThat(rule.requiredRoles()).containsExactlyInAnyOrder(ModelRole.ACTOR, ModelRole.REFERENCE);
        RecordingModels models = new RecordingModels();
        rule.update(List.of(group("a", 1, 0, 1)), models);
        assertThat(models.logProbCalls).extracting(RecordingModels.LogProbCall::role).containsExactly(ModelRole.ACTOR, ModelRole.REFERENCE);
        PolicyGradientObjective o = models.trained.getFirst();
        assertThat(o.kl().coefficient()).isEqualTo(0.05);
        assertThat(o.kl().estimator()).isEqualTo(KlEstimator.K1);
        for (float[] row : o.refLogProbs()) assertThat(row).containsOnly(RecordingModels.logProbOf(ModelRole.REFERENCE));
    }

    @Test
    void theActorAndItsReferenceAreScoredAndTrainedAtTheSamplingTemperature() {
        RecordingModels models = new RecordingModels();
        rloo(Map.of("kl_coef", 0.05)).update(List.of(group("a", 1, 0, 1)), models);
        assertThat(models.logProbCalls).extracting(RecordingModels.LogProbCall::temperature)
                .containsOnly(RecordingModels.TEMPERATURE);
        assertThat(models.trained.getFirst().temperature()).isEqualTo(RecordingModels.TEMPERATURE);
    }

    @Test
    void maskTruncatedKeepsACutResponseInItsBaselineButOutOfTheLoss() {
        // rewards [1, 0, 1]; the third was cut at the token limit. RLOO baselines are unchanged by the mask:
        // A = r_i - mean of the others = [1 - 0.5, 0 - 1, 1 - 0.5] = [0.5, -1, 0.5]; only rows 0 and 1 are trained
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of("mask_truncated", true)).update(List.of(Rollouts.truncated(group("a", 1, 0, 1), 2)), models);
        PolicyGradientObjective o = models.trained.getFirst();
        assertThat(sequenceAdvantages(o)).containsExactly(0.5, -1.0);
        assertThat(o.sequences()).extracting(TokenSequence::responseLength).containsExactly(1, 2);
        assertThat(stats.get("actor/masked_truncated")).isEqualTo(1.0);

        RecordingModels unmasked = new RecordingModels();
        rloo(Map.of()).update(List.of(Rollouts.truncated(group("b", 1, 0, 1), 2)), unmasked);
        assertThat(sequenceAdvantages(unmasked.trained.getFirst())).containsExactly(0.5, -1.0, 0.5);
    }

    @Test
    void aStepWhoseResponsesWereAllCutIsSkipped() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of("mask_truncated", true, "mini_batches", 2))
                .update(List.of(Rollouts.truncated(group("a", 1, 0), 0, 1), group("b", 0, 1)), models);
        assertThat(models.trained).hasSize(1);
        assertThat(stats.get("actor/steps")).isEqualTo(1.0);
    }

    @Test
    void theLoopIsToldHowManySamplesEachEstimatorNeeds() {
        assertThat(rloo(Map.of()).minSamplesPerPrompt()).isEqualTo(2);
        assertThat(grpo(Map.of()).minSamplesPerPrompt()).isEqualTo(2);
        assertThat(new ReinforcePlusPlusAlgorithm().create(Settings.of(Map.of())).minSamplesPerPrompt()).isEqualTo(1);
        assertThat(new ReinforcePlusPlusAlgorithm().create(Settings.of(Map.of("baseline", "group"))).minSamplesPerPrompt()).isEqualTo(2);
    }

    @Test
    void verlsEstimatorNamesAreAccepted() {
        PolicyGradientSettings s = ((GroupPolicyGradientRule) rloo(Map.of("kl_coef", 0.1, "kl_estimator", "low_var_kl",
                "kl_reward_coef", 0.1, "kl_reward_estimator", "mse"))).settings();
        assertThat(s.kl().estimator()).isEqualTo(KlEstimator.K3);
        assertThat(s.klReward().estimator()).isEqualTo(KlEstimator.K2);
    }

    @Test
    void oldLogProbsAreComputedOnceBeforeAnyStep() {
        RecordingModels models = new RecordingModels();
        rloo(Map.of("epochs", 2, "mini_batches", 2)).update(batch(4), models);
        assertThat(models.calls.getFirst()).isEqualTo("logProbs:ACTOR");
        assertThat(models.calls.stream().filter(c -> c.startsWith("logProbs"))).hasSize(1);
        assertThat(models.logProbCalls.getFirst().sequences()).hasSize(16);
        for (PolicyGradientObjective o : models.trained) {
            for (float[] row : o.oldLogProbs()) assertThat(row).containsOnly(RecordingModels.logProbOf(ModelRole.ACTOR));
        }
    }

    @Test
    void epochsTimesMiniBatchesStepsAreTaken() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of("epochs", 3, "mini_batches", 2)).update(batch(4), models);
        assertThat(models.trained).hasSize(6);
        assertThat(models.calls.stream().filter(c -> c.startsWith("train"))).containsOnly("train:ACTOR");
        assertThat(stats).containsEntry("actor/steps", 6.0);
    }

    /** TokenSequence compares arrays by identity; its token ids (unique per sample here) identify it. */
    private static String key(TokenSequence s) {
        return Arrays.toString(s.tokens());
    }

    @Test
    void eachEpochsMiniBatchesPartitionTheBatchIntoWholeGroups() {
        List<RolloutGroup> groups = batch(5);
        Set<String> all = new HashSet<>();
        groups.forEach(g -> g.generations().forEach(gen -> all.add(key(gen.sequence()))));
        RecordingModels models = new RecordingModels();
        rloo(Map.of("epochs", 2, "mini_batches", 2)).update(groups, models);
        assertThat(models.trained).hasSize(4);
        for (int epoch = 0; epoch < 2; epoch++) {
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (PolicyGradientObjective o : models.trained.subList(2 * epoch, 2 * epoch + 2)) {
                o.sequences().forEach(s -> seen.add(key(s)));
                sizes.add(o.sequences().size() / 4);
                assertThat(o.sequences().size() % 4).as("whole groups of 4").isZero();
            }
            assertThat(sizes).containsExactlyInAnyOrder(3, 2);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(all);
        }
    }

    @Test
    void theMiniBatchSplitIsReproducible() {
        RecordingModels a = new RecordingModels();
        RecordingModels b = new RecordingModels();
        rloo(Map.of("epochs", 2, "mini_batches", 4, "seed", 5)).update(batch(8), a);
        rloo(Map.of("epochs", 2, "mini_batches", 4, "seed", 5)).update(batch(8), b);
        // token ids differ between the two batches; compare which problems went together by response lengths and rewards
        assertThat(a.trained).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(Arrays.deepToString(a.trained.get(i).advantages())).isEqualTo(Arrays.deepToString(b.trained.get(i).advantages()));
        }
    }

    @Test
    void moreMiniBatchesThanGroupsIsAnErrorNamingTheSetting() {
        assertThatThrownBy(() -> rloo(Map.of("mini_batches", 5)).update(batch(4), new RecordingModels()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("run.yaml:9", "stages[1].algorithm.mini_batches = 5", "batch of 4 prompt groups", "at most");
    }

    @Test
    void filterZeroStdDropsGroupsWhoseRewardsAreAllEqual() {
        UpdateRule rule = rloo(Map.of("filter_zero_std", true));
        List<RolloutGroup> groups = List.of(group("same1", 1, 1, 1), group("mixed", 0, 1, 0), group("same0", 0, 0, 0));
        assertThat(rule.filter(groups)).extracting(g -> g.problem().id()).containsExactly("mixed");
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rule.update(groups, models);
        assertThat(models.trained).hasSize(1);
        assertThat(models.trained.getFirst().sequences()).hasSize(3);
        assertThat(models.logProbCalls.getFirst().sequences()).hasSize(3);
        assertThat(stats).containsEntry("groups/kept", 1.0);
        assertThat(stats.get("groups/zero_std_frac")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(stats.get("reward/mean")).isCloseTo(4.0 / 9, within(1e-12));
    }

    @Test
    void withoutFilteringEveryGroupIsKept() {
        UpdateRule rule = rloo(Map.of());
        List<RolloutGroup> groups = List.of(group("same", 1, 1), group("mixed", 0, 1));
        assertThat(rule.filter(groups)).isEqualTo(groups);
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rule.update(groups, models);
        assertThat(models.trained.getFirst().sequences()).hasSize(4);
        assertThat(stats).containsEntry("groups/kept", 2.0).containsEntry("groups/zero_std_frac", 0.5);
    }

    @Test
    void whenEveryGroupIsDroppedNothingIsTrained() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of("filter_zero_std", true, "mini_batches", 2))
                .update(List.of(group("a", 1, 1), group("b", 0, 0)), models);
        assertThat(models.calls).isEmpty();
        assertThat(stats).containsEntry("actor/steps", 0.0).containsEntry("groups/kept", 0.0).containsEntry("groups/zero_std_frac", 1.0);
    }

    @Test
    void filteringBelowTheMiniBatchCountTakesFewerSteps() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of("filter_zero_std", true, "mini_batches", 3))
                .update(List.of(group("a", 1, 0), group("b", 0, 0), group("c", 1, 1), group("d", 0, 1)), models);
        assertThat(models.trained).hasSize(2);
        assertThat(stats).containsEntry("actor/steps", 2.0);
    }

    @Test
    void anEmptyBatchTrainsNothing() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of()).update(List.of(), models);
        assertThat(models.calls).isEmpty();
        assertThat(stats).containsEntry("actor/steps", 0.0).containsEntry("groups/kept", 0.0);
    }

    @Test
    void aGroupOfOneSampleIsRejectedWithTheFix() {
        assertThatThrownBy(() -> rloo(Map.of()).update(List.of(group("a", 1, 0), group("lonely", 1)), new RecordingModels()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("stages[1].n = 1", "RLOO needs at least 2 samples per prompt", "lonely", "Set stages[1].n >= 2")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("stages[1].n"));
        assertThatThrownBy(() -> grpo(Map.of()).update(List.of(group("lonely", 1)), new RecordingModels()))
                .hasMessageContainingAll("n = 1", "GRPO needs at least 2 samples", "Set n >= 2");
    }

    @Test
    void statsAverageTheStepsAndDescribeTheBatch() {
        RecordingModels models = new RecordingModels();
        // rewards {1, 0} and {1, 1, 0, 0}: LOO advantages {1, -1} and {2/3, 2/3, -2/3, -2/3}; responses of 1..n tokens
        Map<String, Double> stats = rloo(Map.of("epochs", 2)).update(List.of(group("a", 1, 0), group("b", 1, 1, 0, 0)), models);
        assertThat(stats.get("actor/pg_loss")).isCloseTo((1 + 2) / 2.0, within(1e-12));
        assertThat(stats.get("actor/grad_norm")).isCloseTo((2 + 4) / 2.0, within(1e-12));
        assertThat(stats.get("actor/steps")).isEqualTo(2.0);
        assertThat(stats.get("reward/mean")).isCloseTo(3.0 / 6, within(1e-12));
        double tokenSum = 1 * 1 - 1 * 2 + (2.0 / 3) * (1 + 2) - (2.0 / 3) * (3 + 4);
        double tokenAbs = 1 * 1 + 1 * 2 + (2.0 / 3) * (1 + 2 + 3 + 4);
        assertThat(stats.get("advantage/mean")).isCloseTo(tokenSum / 13, within(1e-6));
        assertThat(stats.get("advantage/abs_mean")).isCloseTo(tokenAbs / 13, within(1e-6));
        assertThat(stats).containsKeys("groups/kept", "groups/zero_std_frac");
    }

    @Test
    void emptyResponsesTrainWithABudgetOfOne() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rloo(Map.of()).update(List.of(Rollouts.emptyResponses("e", 1, 0)), models);
        assertThat(models.trained.getFirst().budget()).isEqualTo(1);
        assertThat(stats).containsEntry("advantage/mean", 0.0);
    }

    @Test
    void grpoNormalisesByTheGroupStd() {
        List<RolloutGroup> groups = List.of(group("a", 1, 0, 0, 0), group("b", 0.5, 1, 2));
        RecordingModels models = new RecordingModels();
        grpo(Map.of()).update(groups, models);
        double[] adv = sequenceAdvantages(models.trained.getFirst());
        double[] expected = java.util.stream.DoubleStream.concat(
                Arrays.stream(Baselines.groupNormalized(groups.get(0).rewardValues(), true, 1e-6)),
                Arrays.stream(Baselines.groupNormalized(groups.get(1).rewardValues(), true, 1e-6))).toArray();
        for (int i = 0; i < adv.length; i++) assertThat(adv[i]).isCloseTo(expected[i], within(1e-6));
        assertThat(adv[0]).isCloseTo(1.5, within(1e-5));
    }

    @Test
    void grpoWithoutStdOnlyCentresTheRewards() {
        RecordingModels models = new RecordingModels();
        grpo(Map.of("norm_by_std", false, "loss_agg", "seq-mean-token-sum-norm")).update(List.of(group("a", 1, 0, 0, 0)), models);
        assertThat(sequenceAdvantages(models.trained.getFirst())).containsExactly(0.75, -0.25, -0.25, -0.25);
        assertThat(models.trained.getFirst().aggregation()).isEqualTo(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM);
    }

    @Test
    void grpoSharesTheUpdateOfRloo() {
        RecordingModels models = new RecordingModels();
        UpdateRule rule = grpo(Map.of("kl_coef", 0.01, "epochs", 2, "mini_batches", 2, "filter_zero_std", true));
        assertThat(rule).isInstanceOf(GroupPolicyGradientRule.class);
        assertThat(rule.requiredRoles()).contains(ModelRole.REFERENCE);
        rule.update(batch(4), models);
        assertThat(models.trained).hasSize(4);
    }

    @Test
    void anUnknownLossAggregationListsTheChoices() {
        assertThatThrownBy(() -> rloo(Map.of("loss_agg", "token-sum"))).isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:9: stages[1].algorithm.loss_agg = \"token-sum\" — expected one of: "
                        + "token-mean, seq-mean-token-sum, seq-mean-token-mean, seq-mean-token-sum-norm");
        assertThatThrownBy(() -> rloo(Map.of("kl_estimator", "k4"))).hasMessageContaining("expected one of: k1, k2, k3");
    }

    @Test
    void invalidSettingsNameTheKeyAndTheRule() {
        assertInvalid(Map.of("clip_low", 1.0), "stages[1].algorithm.clip_low = 1.0", "(0, 1)");
        assertInvalid(Map.of("clip_high", 0), "stages[1].algorithm.clip_high = 0", "> 0");
        assertInvalid(Map.of("dual_clip", 0.5), "stages[1].algorithm.dual_clip = 0.5", "> 1");
        assertInvalid(Map.of("kl_coef", -1), "stages[1].algorithm.kl_coef = -1", ">= 0");
        assertInvalid(Map.of("entropy_coef", -0.1), "stages[1].algorithm.entropy_coef = -0.1");
        assertInvalid(Map.of("epochs", 0), "stages[1].algorithm.epochs = 0", ">= 1");
        assertInvalid(Map.of("mini_batches", 0), "stages[1].algorithm.mini_batches = 0", ">= 1");
        assertInvalid(Map.of("filter_zero_std", "yes"), "stages[1].algorithm.filter_zero_std", "true or false");
        assertThatThrownBy(() -> grpo(Map.of("epsilon", 0))).hasMessageContainingAll("epsilon = 0", "> 0");
    }

    private static void assertInvalid(Map<String, ?> settings, String... parts) {
        assertThatThrownBy(() -> rloo(settings)).isInstanceOf(ConfigException.class).hasMessageContainingAll(parts);
    }

    @Test
    void everySettingIsRead() {
        Map<String, Object> common = Map.ofEntries(Map.entry("clip_low", 0.2), Map.entry("clip_high", 0.28), Map.entry("dual_clip", 3),
                Map.entry("kl_coef", 0.0), Map.entry("kl_estimator", "k3"), Map.entry("entropy_coef", 0.0), Map.entry("loss_agg", "token-mean"),
                Map.entry("epochs", 1), Map.entry("mini_batches", 1), Map.entry("filter_zero_std", false), Map.entry("seed", 0),
                Map.entry("mask_truncated", false));
        Settings r = Settings.of(common);
        new RlooAlgorithm().create(r);
        assertThatCode(r::rejectUnknown).doesNotThrowAnyException();
        Map<String, Object> g = new java.util.HashMap<>(common);
        g.put("norm_by_std", false);
        g.put("epsilon", 1e-6);
        Settings gs = Settings.of(g);
        new GrpoAlgorithm().create(gs);
        assertThatCode(gs::rejectUnknown).doesNotThrowAnyException();
        Map<String, Object> k = new java.util.HashMap<>(common);
        k.putAll(Map.of("kl_reward_coef", 0.01, "kl_reward_estimator", "k1", "kl_controller", "adaptive", "kl_target", 0.1,
                "kl_horizon", 10000, "gamma", 1.0, "baseline", "none"));
        Settings ks = Settings.of(k);
        new ReinforcePlusPlusAlgorithm().create(ks);
        assertThatCode(ks::rejectUnknown).doesNotThrowAnyException();
        Settings rlooWithGrpoKey = Settings.of(Map.of("norm_by_std", true));
        new RlooAlgorithm().create(rlooWithGrpoKey);
        assertThatThrownBy(rlooWithGrpoKey::rejectUnknown).hasMessageContaining("unknown key norm_by_std");
    }

    @Test
    void theModuleProvidesTheCriticFreeAlgorithms() {
        var module = RlooAlgorithm.class.getModule().getDescriptor();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(Algorithm.class.getName());
            assertThat(p.providers()).containsExactlyInAnyOrder(RlooAlgorithm.class.getName(), GrpoAlgorithm.class.getName(),
                    ReinforcePlusPlusAlgorithm.class.getName());
        });
        assertThat(new RlooAlgorithm().name()).isEqualTo("rloo");
        assertThat(new GrpoAlgorithm().name()).isEqualTo("grpo");
        assertThat(new ReinforcePlusPlusAlgorithm().name()).isEqualTo("reinforce_pp");
    }

    // The fake models give every token log-prob -0.5 under the actor and -0.75 under the reference, so the
    // k1 estimate of each token's KL is logp - ref = 0.25. Rollouts.group gives sample i a response of 1 + i tokens.

    @Test
    void aKlPenaltyInTheRewardIsTakenOffEachSequenceBeforeTheBaseline() {
        // rewards [1, 0], responses of 1 and 2 tokens, coef 0.1: sequence rewards 1 - 0.1 * 0.25 = 0.975 and
        // 0 - 0.1 * 0.25 * 2 = -0.05; leave-one-out: A = +-(0.975 + 0.05) = +-1.025
        UpdateRule rule = rloo(Map.of("kl_reward_coef", 0.1));
        assertThat(rule.requiredRoles()).containsExactlyInAnyOrder(ModelRole.ACTOR, ModelRole.REFERENCE);
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = rule.update(List.of(group("a", 1, 0)), models);
        assertThat(sequenceAdvantages(models.trained.getFirst())).containsExactly(new double[] {1.025, -1.025}, within(1e-6));
        assertThat(stats.get("kl_reward/coef")).isEqualTo(0.1);
        assertThat(stats.get("kl_reward/kl")).isCloseTo(0.25, within(1e-7));
        assertThat(models.trained.getFirst().kl().active()).as("the loss carries no KL term").isFalse();
    }

    @Test
    void theAdaptiveControllerMovesTheCoefficientAfterEachStep() {
        // kl 0.25 over target 0.1: error clip(1.5) = 0.2; 2 samples over horizon 10: coef x (1 + 0.2 * 2 / 10) = x 1.04
        UpdateRule rule = rloo(Map.of("kl_reward_coef", 0.1, "kl_controller", "adaptive", "kl_target", 0.1, "kl_horizon", 10));
        assertThat(rule.update(List.of(group("a", 1, 0)), new RecordingModels()).get("kl_reward/coef")).isEqualTo(0.1);
        assertThat(rule.update(List.of(group("b", 1, 0)), new RecordingModels()).get("kl_reward/coef")).isCloseTo(0.104, within(1e-12));
        assertThatThrownBy(() -> rloo(Map.of("kl_controller", "adaptive"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kl_reward_coef > 0");
    }

    private static UpdateRule reinforcePP(Map<String, ?> settings) {
        return new ReinforcePlusPlusAlgorithm().create(new Settings("stages[1].algorithm", settings, Path.of(""), key -> "run.yaml:9"));
    }

    @Test
    void reinforcePlusPlusWhitensTheReturnsOverTheBatch() {
        // rewards [1, 0], responses of 1 and 2 tokens, no KL: token returns [1], [0, 0]; over the 3 tokens mean 1/3,
        // unbiased variance ((2/3)^2 + 2 (1/3)^2) / 2 = 1/3: A = [2/3, -1/3, -1/3] / sqrt(1/3) = [1.1547, -0.5774, -0.5774]
        RecordingModels models = new RecordingModels();
        reinforcePP(Map.of()).update(List.of(group("a", 1, 0)), models);
        float[][] a = models.trained.getFirst().advantages();
        assertThat((double) a[0][0]).isCloseTo(1.1547005, within(1e-5));
        assertThat((double) a[1][0]).isCloseTo(-0.5773503, within(1e-5));
        assertThat((double) a[1][1]).isCloseTo(-0.5773503, within(1e-5));
    }

    @Test
    void reinforcePlusPlusCreditsEachTokenWithTheKlPenaltiesAhead() {
        // coef 0.1, k1 0.25 a token: token rewards [1 - 0.025], [-0.025, -0.025]; returns (gamma 1) [0.975], [-0.05, -0.025];
        // mean 0.3, deviations [0.675], [-0.35, -0.325], unbiased variance 0.68375 / 2 = 0.341875, std 0.5847008
        RecordingModels models = new RecordingModels();
        reinforcePP(Map.of("kl_reward_coef", 0.1)).update(List.of(group("a", 1, 0)), models);
        float[][] a = models.trained.getFirst().advantages();
        assertThat((double) a[0][0]).isCloseTo(1.1544366, within(1e-5));
        assertThat((double) a[1][0]).isCloseTo(-0.5985968, within(1e-5));
        assertThat((double) a[1][1]).isCloseTo(-0.5558399, within(1e-5));
    }

    @Test
    void reinforcePlusPlusNeedsNoGroupButItsBaselineVariantDoes() {
        RecordingModels models = new RecordingModels();
        reinforcePP(Map.of()).update(List.of(group("a", 1), group("b", 0)), models);
        // returns [1], [0]: mean 0.5, unbiased variance 0.5: A = +-0.5 / sqrt(0.5) = +-0.7071
        assertThat(sequenceAdvantages(models.trained.getFirst())).containsExactly(new double[] {0.7071068, -0.7071068}, within(1e-5));
        assertThatThrownBy(() -> reinforcePP(Map.of("baseline", "group")).update(List.of(group("a", 1)), new RecordingModels()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("stages[1].n >= 2");
    }

    @Test
    void reinforcePlusPlusBaselineCentresEachGroupThenWhitensTheBatch() {
        // groups [1, 0] and [1, 1] (1 and 2 tokens each): centred [0.5, -0.5], [0, 0], broadcast: tokens
        // 0.5 | -0.5 -0.5 | 0 | 0 0; mean -0.5/6 = -1/12; whitened over the 6 tokens
        RecordingModels models = new RecordingModels();
        reinforcePP(Map.of("baseline", "group")).update(List.of(group("a", 1, 0), group("b", 1, 1)), models);
        double[] tokens = {0.5, -0.5, -0.5, 0, 0, 0};
        double mean = Arrays.stream(tokens).average().orElseThrow();
        double var = Arrays.stream(tokens).map(x -> (x - mean) * (x - mean)).sum() / 5;
        double[] expected = Arrays.stream(new double[] {0.5, -0.5, 0, 0}).map(x -> (x - mean) / Math.sqrt(var + 1e-8)).toArray();
        assertThat(sequenceAdvantages(models.trained.getFirst())).containsExactly(expected, within(1e-5));
    }
}
