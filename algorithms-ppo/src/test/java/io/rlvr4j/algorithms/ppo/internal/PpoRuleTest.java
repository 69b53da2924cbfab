package io.rlvr4j.algorithms.ppo.internal;

import static io.rlvr4j.api.contract.Rollouts.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.RecordingModels;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.ValueObjective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PPO's update on hand-worked batches. The recording models give every token log-prob -0.5 under the
 * actor, -0.75 under the reference (k1 KL per token 0.25) and value 0.5 under the critic; sample i of
 * {@code group(...)} has a response of 1 + i tokens.
 */
class PpoRuleTest {

    private static UpdateRule ppo(Map<String, ?> settings) {
        return new PpoAlgorithm().create(new Settings("stages[1].algorithm", settings, Path.of(""), key -> "run.yaml:9"));
    }

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-5));
    }

    @Test
    void gaeAdvantagesAreWhitenedAndTheCriticLearnsTheReturns() {
        // rewards [1, 0], V = 0.5 everywhere, gamma 1, lambda 0.95
        // sample 0 (1 token): r = [1]; delta = 1 - 0.5 = 0.5; A = [0.5]; R = A + V = [1]
        // sample 1 (2 tokens): r = [0, 0]; delta_1 = 0 - 0.5 = -0.5, delta_0 = 0 + 0.5 - 0.5 = 0;
        //   A_1 = -0.5, A_0 = 0 + 0.95 * -0.5 = -0.475; R = [0.025, 0]
        // whitened over [0.5, -0.475, -0.5]: mean -0.158333, unbiased variance 0.325208 -> [1.154423, -0.555292, -0.599131]
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = ppo(Map.of("lambda", 0.95)).update(List.of(group("a", 1, 0)), models);
        PolicyGradientObjective actor = models.trained.getFirst();
        close(actor.advantages()[0], 1.1544231);
        close(actor.advantages()[1], -0.5552921, -0.5991310);
        ValueObjective critic = models.trainedCritic.getFirst();
        close(critic.returns()[0], 1.0);
        close(critic.returns()[1], 0.025, 0.0);
        close(critic.oldValues()[1], 0.5, 0.5);
        assertThat(critic.valueClip()).isEqualTo(0.5);
        // a constant critic explains none of the returns' variance
        assertThat(stats.get("critic/explained_variance")).isCloseTo(0.0, within(1e-6));
        assertThat(stats.get("critic/return_mean")).isCloseTo((1 + 0.025) / 3, within(1e-6));
        assertThat(stats.get("critic/old_value_mean")).isCloseTo(0.5, within(1e-6));
        assertThat(stats.get("reward/mean")).isEqualTo(0.5);
    }

    @Test
    void withoutWhiteningTheAdvantagesAreGaes() {
        RecordingModels models = new RecordingModels();
        ppo(Map.of("lambda", 0.95, "whiten_advantages", false)).update(List.of(group("a", 1, 0)), models);
        close(models.trained.getFirst().advantages()[0], 0.5);
        close(models.trained.getFirst().advantages()[1], -0.475, -0.5);
    }

    @Test
    void aKlPenaltyInTheRewardShapesEveryTokenBeforeGae() {
        // coef 0.1, k1 0.25 a token: r = [1 - 0.025] and [-0.025, -0.025]; lambda 1, gamma 1: A = G - V
        // sample 0: G = [0.975], A = [0.475]; sample 1: G = [-0.05, -0.025], A = [-0.55, -0.525]
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = ppo(Map.of("kl_reward_coef", 0.1, "whiten_advantages", false)).update(List.of(group("a", 1, 0)), models);
        close(models.trained.getFirst().advantages()[0], 0.475);
        close(models.trained.getFirst().advantages()[1], -0.55, -0.525);
        close(models.trainedCritic.getFirst().returns()[1], -0.05, -0.025);
        assertThat(stats.get("kl_reward/coef")).isEqualTo(0.1);
        assertThat(stats.get("kl_reward/kl")).isCloseTo(0.25, within(1e-7));
    }

    @Test
    void theCriticAndTheReferenceAreOpenedOnlyWhenNeeded() {
        assertThat(ppo(Map.of()).requiredRoles()).containsExactlyInAnyOrder(ModelRole.ACTOR, ModelRole.CRITIC);
        assertThat(ppo(Map.of("kl_coef", 0.01)).requiredRoles()).containsExactlyInAnyOrder(ModelRole.ACTOR, ModelRole.CRITIC, ModelRole.REFERENCE);
        assertThat(ppo(Map.of("kl_reward_coef", 0.01)).requiredRoles()).contains(ModelRole.REFERENCE);
    }

    @Test
    void valuesAndOldLogProbsAreComputedOnceThenEachPartTrainsTheCriticThenTheActor() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = ppo(Map.of("epochs", 2, "mini_batches", 2))
                .update(List.of(group("a", 1, 0), group("b", 0, 1), group("c", 1, 1)), models);
        assertThat(models.calls).containsExactly("logProbs:ACTOR", "values",
                "train:CRITIC", "train:ACTOR", "train:CRITIC", "train:ACTOR", "train:CRITIC", "train:ACTOR", "train:CRITIC", "train:ACTOR");
        assertThat(stats.get("actor/steps")).isEqualTo(4.0);
        assertThat(stats.get("critic/steps")).isEqualTo(4.0);
        // the steps' statistics averaged: the fake numbers its steps 1..4
        assertThat(stats.get("actor/pg_loss")).isEqualTo(2.5);
        assertThat(stats.get("critic/loss")).isEqualTo(2.5);
    }

    @Test
    void theActorIsScoredAndTrainedAtTheSamplingTemperature() {
        RecordingModels models = new RecordingModels();
        ppo(Map.of("kl_coef", 0.01)).update(List.of(group("a", 1, 0)), models);
        assertThat(models.logProbCalls).extracting(RecordingModels.LogProbCall::temperature).containsOnly(RecordingModels.TEMPERATURE);
        assertThat(models.trained.getFirst().temperature()).isEqualTo(RecordingModels.TEMPERATURE);
    }

    @Test
    void maskTruncatedLeavesCutResponsesOutOfTheActorsLossNotTheCritics() {
        RecordingModels models = new RecordingModels();
        ppo(Map.of("mask_truncated", true, "whiten_advantages", false))
                .update(List.of(io.rlvr4j.api.contract.Rollouts.truncated(group("a", 1, 0), 0)), models);
        assertThat(models.trainedCritic.getFirst().sequences()).hasSize(2);
        assertThat(models.trained.getFirst().sequences()).hasSize(1);
        // the kept row is the second: reward 0 on its last of 2 tokens, V = 0.5 everywhere, gamma = lambda = 1:
        // A_1 = 0 - 0.5 = -0.5; A_0 = (0 + 0.5 - 0.5) + A_1 = -0.5
        close(models.trained.getFirst().advantages()[0], -0.5, -0.5);
    }

    @Test
    void duringCriticWarmupOnlyTheCriticTrains() {
        UpdateRule rule = ppo(Map.of("critic_warmup", 2));
        for (int update = 1; update <= 3; update++) {
            RecordingModels models = new RecordingModels();
            Map<String, Double> stats = rule.update(List.of(group("a" + update, 1, 0)), models);
            assertThat(stats.get("actor/steps")).as("update %d", update).isEqualTo(update <= 2 ? 0.0 : 1.0);
            assertThat(stats.get("critic/steps")).isEqualTo(1.0);
        }
    }

    @Test
    void oneSamplePerPromptIsEnough() {
        assertThat(ppo(Map.of()).minSamplesPerPrompt()).isEqualTo(1);
        RecordingModels models = new RecordingModels();
        ppo(Map.of("whiten_advantages", false)).update(List.of(group("a", 1), group("b", 0)), models);
        // A = G - V: [1 - 0.5], [0 - 0.5]
        close(models.trained.getFirst().advantages()[0], 0.5);
        close(models.trained.getFirst().advantages()[1], -0.5);
    }

    @Test
    void explainedVarianceOfAPerfectCriticIsOne() {
        float[][] returns = {{1, 2}, {3}};
        assertThat(PpoRule.explainedVariance(returns, returns)).isCloseTo(1.0, within(1e-12));
        // values off by a constant explain everything too (the variance of R - V is 0)
        assertThat(PpoRule.explainedVariance(returns, new float[][] {{0, 1}, {2}})).isCloseTo(1.0, within(1e-12));
        // V = 0: Var(R - V) = Var(R)
        assertThat(PpoRule.explainedVariance(returns, new float[][] {{0, 0}, {0}})).isCloseTo(0.0, within(1e-12));
        assertThat(PpoRule.explainedVariance(new float[][] {{1, 1}}, new float[][] {{0, 0}})).isNaN();
    }

    @Test
    void filterZeroStdDropsGroupsWhoseRewardsAreAllEqual() {
        List<io.rlvr4j.api.RolloutGroup> groups = List.of(group("a", 1, 1), group("b", 1, 0));
        assertThat(ppo(Map.of("filter_zero_std", true)).filter(groups)).extracting(g -> g.problem().id()).containsExactly("b");
        assertThat(ppo(Map.of()).filter(groups)).hasSize(2);
    }

    @Test
    void withFilteringFewerGroupsThanMiniBatchesTakeFewerSteps() {
        Map<String, Double> stats = ppo(Map.of("filter_zero_std", true, "mini_batches", 4)).update(List.of(group("a", 1, 0)), new RecordingModels());
        assertThat(stats.get("actor/steps")).isEqualTo(1.0);
    }

    @Test
    void anEmptyBatchTrainsNothing() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = ppo(Map.of()).update(List.of(), models);
        assertThat(models.calls).isEmpty();
        assertThat(stats.get("actor/steps")).isZero();
    }

    @Test
    void settingsAreCheckedAndEveryOneIsRead() {
        assertThatThrownBy(() -> ppo(Map.of("lambda", 1.5))).isInstanceOf(ConfigException.class).hasMessageContaining("lambda");
        assertThatThrownBy(() -> ppo(Map.of("gamma", 0))).isInstanceOf(ConfigException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> ppo(Map.of("value_clip", -1))).isInstanceOf(ConfigException.class).hasMessageContaining("value_clip");
        assertThatThrownBy(() -> ppo(Map.of("mini_batches", 3)).update(List.of(group("a", 1, 0)), new RecordingModels()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mini_batches");
        Settings s = Settings.of(Map.of("gamma", 1.0, "lambda", 0.95, "value_clip", 0.2, "whiten_advantages", true, "critic_warmup", 0,
                "clip_low", 0.2, "kl_reward_coef", 0.001, "epochs", 2));
        new PpoAlgorithm().create(s);
        assertThatCode(s::rejectUnknown).doesNotThrowAnyException();
    }

    @Test
    void theModuleProvidesPpo() {
        var module = PpoAlgorithm.class.getModule().getDescriptor();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(Algorithm.class.getName());
            assertThat(p.providers()).containsExactly(PpoAlgorithm.class.getName());
        });
        assertThat(new PpoAlgorithm().name()).isEqualTo("ppo");
    }
}
