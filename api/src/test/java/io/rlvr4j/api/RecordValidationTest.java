package io.rlvr4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compact constructors of the records that cross the SPIs. */
class RecordValidationTest {

    @Test
    void aProblemHasExactlyOneOfPromptAndMessages() {
        List<ChatMessage> chat = List.of(new ChatMessage("user", "1+1?"));
        assertThatThrownBy(() -> new Problem("p", "math", "1+1?", chat, "2", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("problem p").hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Problem("p", "math", null, List.of(), "2", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Problem("p", "math", null, chat, "2", null).messages()).isEqualTo(chat);
        assertThat(Problem.of("p", "math", "1+1?", "2").messages()).isEmpty();
    }

    @Test
    void aProblemNeedsAnIdAndADomain() {
        assertThatThrownBy(() -> Problem.of(null, "math", "x", "1")).isInstanceOf(NullPointerException.class).hasMessage("id");
        assertThatThrownBy(() -> Problem.of("p", null, "x", "1")).isInstanceOf(NullPointerException.class).hasMessage("domain");
    }

    @Test
    void aProblemCopiesItsMetadataAndMessages() {
        Map<String, Object> meta = new HashMap<>(Map.of("level", 3));
        List<ChatMessage> chat = new ArrayList<>(List.of(new ChatMessage("user", "q")));
        Problem p = new Problem("p", "math", null, chat, null, meta);
        meta.put("level", 5);
        chat.add(new ChatMessage("user", "again"));
        assertThat(p.metadata()).containsEntry("level", 3);
        assertThat(p.messages()).hasSize(1);
        assertThatThrownBy(() -> p.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aChatMessageNeedsRoleAndContent() {
        assertThatThrownBy(() -> new ChatMessage(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChatMessage("user", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRewardResultsScoreIsInTheUnitInterval() {
        assertThatThrownBy(() -> new RewardResult(1, 1.5, RewardResult.Outcome.CORRECT, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score must be in [0, 1]");
        assertThatThrownBy(() -> new RewardResult(1, Double.NaN, RewardResult.Outcome.CORRECT, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RewardResult(Double.POSITIVE_INFINITY, 1, RewardResult.Outcome.CORRECT, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reward must be finite");
    }

    @Test
    void aRewardResultIsCorrectOnlyWithAFullScore() {
        assertThat(new RewardResult(1, 1, RewardResult.Outcome.CORRECT, null).correct()).isTrue();
        assertThat(new RewardResult(0.5, 0.99, RewardResult.Outcome.WRONG, null).correct()).isFalse();
        assertThat(new RewardResult(0, 0, RewardResult.Outcome.NO_ANSWER, null).details()).isEmpty();
    }

    @Test
    void aGenerationHasOneLogProbPerToken() {
        assertThatThrownBy(() -> new Generation(new int[] {1}, new int[] {2, 3}, new float[] {0}, "x", Generation.FinishReason.STOP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 vs 1");
    }

    @Test
    void aGenerationsSequenceIsPromptThenResponse() {
        Generation g = new Generation(new int[] {1, 2}, new int[] {3}, new float[] {-0.5f}, "c", Generation.FinishReason.LENGTH);
        TokenSequence s = g.sequence();
        assertThat(s.tokens()).containsExactly(1, 2, 3);
        assertThat(s.promptLength()).isEqualTo(2);
        assertThat(s.responseLength()).isEqualTo(1);
        assertThat(s.response()).containsExactly(3);
    }

    @Test
    void aTokenSequenceHasAtLeastOnePromptToken() {
        assertThatThrownBy(() -> new TokenSequence(new int[] {1, 2}, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promptLength must be in [1, 2], but is: 0");
        assertThatThrownBy(() -> new TokenSequence(new int[] {1, 2}, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenSequence(new int[] {1, 2}, 2).responseLength()).isZero();
    }

    @Test
    void aRolloutGroupHasOneRewardPerGeneration() {
        Problem p = Problem.of("p", "math", "q", "1");
        Generation g = new Generation(new int[] {1}, new int[] {2}, new float[] {0}, "1", Generation.FinishReason.STOP);
        RewardResult r = new RewardResult(0.5, 1, RewardResult.Outcome.CORRECT, Map.of());
        assertThatThrownBy(() -> new RolloutGroup(p, List.of(g, g), List.of(r))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 generations but 1 rewards");
        RolloutGroup group = new RolloutGroup(p, List.of(g), List.of(r));
        assertThat(group.size()).isEqualTo(1);
        assertThat(group.rewardValues()).containsExactly(0.5);
        assertThat(group.scores()).containsExactly(1.0);
    }

    @Test
    void samplingParamsAreValidated() {
        assertThatThrownBy(() -> new SamplingParams(-1, 1, 0, 10, Set.of(), 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 0, 10, Set.of(), 0)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new SamplingParams(1, 1, -1, 10, Set.of(), 0)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> new SamplingParams(1, 1, 0, 0, Set.of(), 0)).hasMessageContaining("max_new_tokens");
        SamplingParams greedy = SamplingParams.greedy(8, Set.of(0));
        assertThat(greedy.isGreedy()).isTrue();
        assertThat(greedy.withSeed(7).seed()).isEqualTo(7);
        assertThat(greedy.withSeed(7).maxNewTokens()).isEqualTo(8);
    }

    @Test
    void clipRangeLowIsBelowOneAndHighIsPositive() {
        assertThatThrownBy(() -> new ClipRange(0, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClipRange(1, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClipRange(0.2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClipRange.symmetric(0.2)).isEqualTo(new ClipRange(0.2, 0.2));
    }

    @Test
    void klPenaltyIsActiveOnlyWithAPositiveCoefficient() {
        assertThat(KlPenalty.none().active()).isFalse();
        assertThat(new KlPenalty(0.001, KlEstimator.K1).active()).isTrue();
        assertThatThrownBy(() -> new KlPenalty(-1, KlEstimator.K3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KlPenalty(Double.NaN, KlEstimator.K3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optimizerSpecIsValidated() {
        assertThatThrownBy(() -> OptimizerSpec.adamW(0)).hasMessageContaining("lr must be > 0");
        assertThatThrownBy(() -> new OptimizerSpec(1e-3, 1, 0.999, 1e-8, 0, 1, 0)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new OptimizerSpec(1e-3, 0.9, 0.999, 1e-8, 0, -1, 0)).hasMessageContaining("grad_clip");
        assertThat(OptimizerSpec.adamW(1e-3).gradClip()).isEqualTo(1.0);
    }

    @Test
    void aWeightTensorHasProductOfShapeValues() {
        assertThatThrownBy(() -> new WeightTensor(new long[] {2, 3}, new float[5])).hasMessageContaining("needs 6 values, got 5");
        assertThat(new WeightTensor(new long[] {2, 3}, new float[6]).toArray()).hasSize(6);
        float[] values = {1, 2, 3, 4, 5, 6};
        WeightTensor view = new WeightTensor(new long[] {3}, java.nio.FloatBuffer.wrap(values, 2, 3));
        assertThat(view.size()).isEqualTo(3);
        assertThat(view.toArray()).containsExactly(3, 4, 5);
        assertThat(view.data().position()).as("toArray leaves the buffer as it was").isEqualTo(2);
    }

    @Test
    void modelRolesAreNamedInSnakeCase() {
        assertThat(ModelRole.IMPLICIT_PRM.configName()).isEqualTo("implicit_prm");
        assertThat(ModelRole.ACTOR.configName()).isEqualTo("actor");
    }
}
