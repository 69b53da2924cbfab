package io.rlvr4j.algorithms.prime.internal;

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
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PRIME's update on hand-worked batches. The recording models give every token log-prob -0.5 under the
 * actor, -0.25 under the implicit PRM and -0.75 under the reference; sample i of {@code group(...)} has a
 * response of 1 + i tokens and a score of 1 when its reward is positive.
 */
class PrimeRuleTest {

    private static UpdateRule prime(Map<String, ?> settings) {
        return new PrimeAlgorithm().create(new Settings("stages[1].algorithm", settings, Path.of(""), key -> "run.yaml:9"));
    }

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-5));
    }

    @Test
    void processAndOutcomeRewardsGetLeaveOneOutBaselinesThenReturnsAreWhitened() {
        // one group of 2: process rewards [0.1] and [0.2, 0.0], outcomes [1, 0], both coefficients 1
        // per-sequence means 0.1 and 0.1: baseline (0.1 + 0.1) / (n - 1) = 0.2; tokens r * n/(n-1) - 0.2:
        //   sample 0: [0.2 - 0.2] = [0]; sample 1: [0.4 - 0.2, 0 - 0.2] = [0.2, -0.2]
        // outcomes, on the last token: 1 * 2 - 1 = 1 and 0 * 2 - 1 = -1: [1], [0.2, -1.2]
        // returns (sums ahead): [1], [-1.0, -1.2]; whitened over the 3 tokens: mean -0.4, unbiased variance (1.96 + 0.36 + 0.64) / 2 = 1.48
        RolloutGroup g = group("a", 1, 0);
        List<TokenSequence> seqs = g.generations().stream().map(x -> x.sequence()).toList();
        float[][] adv = PrimeRule.advantages(List.of(g), seqs, new float[][] {{0.1f}, {0.2f, 0.0f}}, new double[] {1, 0}, 1, 1);
        close(adv[0], 1.1507929);
        close(adv[1], -0.4931970, -0.6575959);
    }

    @Test
    void theImplicitRewardIsBetaTimesTheLogRatioToTheReference() {
        close(PrimeRule.processRewards(new float[][] {{-0.25f, -1f}}, new float[][] {{-0.75f, -0.5f}}, 0.05)[0], 0.025, -0.025);
    }

    @Test
    void anUpdateTrainsThePolicyOnTheWeightedRewardsAndThenThePrm() {
        // process rewards are 0.05 * (-0.25 + 0.75) = 0.025 on every token: equal means, so their baselines cancel them;
        // outcomes [1, 0]: 5 * (+-1) on the last token; returns [5], [-5, -5]; whitened: [1.1547], [-0.57735, -0.57735]
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = prime(Map.of()).update(List.of(group("a", 1, 0)), models);
        close(models.trained.getFirst().advantages()[0], 1.1547005);
        close(models.trained.getFirst().advantages()[1], -0.5773503, -0.5773503);
        assertThat(models.calls).containsExactly("logProbs:ACTOR", "logProbs:REFERENCE", "logProbs:IMPLICIT_PRM", "train:ACTOR",
                "train:IMPLICIT_PRM");
        ImplicitPrmObjective prm = models.trainedPrm.getFirst();
        assertThat(prm.outcomeLabels()).containsExactly(1f, 0f);
        assertThat(prm.beta()).isEqualTo(0.05);
        assertThat(prm.refLogProbs()[1]).containsExactly(-0.75f, -0.75f);
        assertThat(stats.get("prm/process_reward_mean")).isCloseTo(0.025, within(1e-7));
        assertThat(stats.get("prm/accuracy")).isEqualTo(0.5);
        assertThat(stats.get("actor/steps")).isEqualTo(1.0);
    }

    @Test
    void thePrmAndItsReferenceAreReadAtTemperatureOneTheActorAtTheSamplingTemperature() {
        RecordingModels models = new RecordingModels();
        prime(Map.of()).update(List.of(group("a", 1, 0)), models);
        assertThat(models.logProbCalls).extracting(c -> c.role() + "@" + c.temperature())
                .containsExactly("ACTOR@" + RecordingModels.TEMPERATURE, "REFERENCE@1.0", "IMPLICIT_PRM@1.0");
        assertThat(models.trained.getFirst().temperature()).isEqualTo(RecordingModels.TEMPERATURE);

        // a KL term needs the reference at the actor's temperature as well
        RecordingModels kl = new RecordingModels();
        prime(Map.of("kl_coef", 0.01)).update(List.of(group("a", 1, 0)), kl);
        assertThat(kl.logProbCalls).extracting(c -> c.role() + "@" + c.temperature())
                .containsExactly("ACTOR@" + RecordingModels.TEMPERATURE, "REFERENCE@1.0", "REFERENCE@" + RecordingModels.TEMPERATURE,
                        "IMPLICIT_PRM@1.0");
    }

    @Test
    void maskTruncatedLeavesCutResponsesOutOfThePolicyLossButNotOutOfThePrms() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = prime(Map.of("mask_truncated", true))
                .update(List.of(io.rlvr4j.api.contract.Rollouts.truncated(group("a", 1, 0), 1)), models);
        // the advantages are those of the unmasked batch (the first row's whitened return, 1.1547), only row 0 trains
        assertThat(models.trained.getFirst().sequences()).hasSize(1);
        close(models.trained.getFirst().advantages()[0], 1.1547005);
        assertThat(models.trainedPrm.getFirst().sequences()).hasSize(2);
        assertThat(stats.get("actor/masked_truncated")).isEqualTo(1.0);
    }

    @Test
    void withPrmUpdateBeforeThePrmLearnsFirstAndItsNewLogProbsAreUsed() {
        RecordingModels models = new RecordingModels();
        prime(Map.of("prm_update", "before")).update(List.of(group("a", 1, 0)), models);
        assertThat(models.calls).containsExactly("logProbs:ACTOR", "logProbs:REFERENCE", "train:IMPLICIT_PRM", "logProbs:IMPLICIT_PRM",
                "train:ACTOR");
        RecordingModels none = new RecordingModels();
        prime(Map.of("prm_update", "none")).update(List.of(group("a", 1, 0)), none);
        assertThat(none.trainedPrm).isEmpty();
    }

    @Test
    void groupsOutsideTheAccuracyBandAreDropped() {
        List<RolloutGroup> groups = List.of(group("all", 1, 1, 1, 1), group("none", 0, 0, 0, 0), group("half", 1, 0, 1, 0),
                group("quarter", 1, 0, 0, 0));
        assertThat(prime(Map.of()).filter(groups)).extracting(g -> g.problem().id()).containsExactly("half", "quarter");
        assertThat(prime(Map.of("accuracy_low", 0.3)).filter(groups)).extracting(g -> g.problem().id()).containsExactly("half");
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = prime(Map.of()).update(List.of(group("all", 1, 1)), models);
        assertThat(models.calls).isEmpty();
        assertThat(stats.get("actor/steps")).isZero();
    }

    @Test
    void fewerGroupsInTheBandThanMiniBatchesTakeFewerSteps() {
        RecordingModels models = new RecordingModels();
        Map<String, Double> stats = prime(Map.of("mini_batches", 4)).update(List.of(group("a", 1, 0), group("b", 1, 1)), models);
        assertThat(stats.get("actor/steps")).isEqualTo(1.0);
    }

    @Test
    void itNeedsTheReferenceAndThePrmAndTwoSamplesPerPrompt() {
        assertThat(prime(Map.of()).minSamplesPerPrompt()).isEqualTo(2);
        assertThat(prime(Map.of()).requiredRoles()).containsExactlyInAnyOrder(ModelRole.ACTOR, ModelRole.IMPLICIT_PRM, ModelRole.REFERENCE);
        assertThatThrownBy(() -> prime(Map.of()).update(List.of(group("a", 1)), new RecordingModels()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("stages[1].n >= 2");
    }

    @Test
    void settingsAreCheckedAndEveryOneIsRead() {
        assertThatThrownBy(() -> prime(Map.of("beta", 0))).isInstanceOf(ConfigException.class).hasMessageContaining("beta");
        assertThatThrownBy(() -> prime(Map.of("accuracy_low", 0.9))).isInstanceOf(ConfigException.class).hasMessageContaining("accuracy_low");
        assertThatThrownBy(() -> prime(Map.of("process_coef", 0, "outcome_coef", 0))).isInstanceOf(ConfigException.class);
        Settings s = Settings.of(Map.of("beta", 0.05, "process_coef", 5, "outcome_coef", 5, "accuracy_low", 0.2, "accuracy_high", 0.8,
                "prm_update", "after", "clip_low", 0.2, "epochs", 1));
        new PrimeAlgorithm().create(s);
        assertThatCode(s::rejectUnknown).doesNotThrowAnyException();
    }

    @Test
    void theModuleProvidesPrime() {
        var module = PrimeAlgorithm.class.getModule().getDescriptor();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(Algorithm.class.getName());
            assertThat(p.providers()).containsExactly(PrimeAlgorithm.class.getName());
        });
        assertThat(new PrimeAlgorithm().name()).isEqualTo("prime");
    }
}
