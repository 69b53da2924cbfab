package io.rlvr4j.algorithms.kit;

import static io.rlvr4j.api.contract.Rollouts.group;
import static io.rlvr4j.api.contract.Rollouts.truncated;
import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActorBatchTest {

    private static PolicyGradientSettings settings(Map<String, ?> keys) {
        return PolicyGradientSettings.read(Settings.of(keys));
    }

    /** One value per token: row i holds i everywhere, so a row of an objective names its sequence. */
    private static float[][] numbered(List<TokenSequence> sequences) {
        float[][] out = new float[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[sequences.get(i).responseLength()];
            java.util.Arrays.fill(out[i], i);
        }
        return out;
    }

    @Test
    void sequencesFollowTheGroupsAndTheBudgetIsTheLongestResponse() {
        // group a: responses of 1, 2, 3 tokens; group b: 1, 2
        ActorBatch batch = ActorBatch.of(List.of(group("a", 1, 0, 1), group("b", 0, 1)));
        assertThat(batch.groups()).isEqualTo(2);
        assertThat(batch.sequences()).extracting(TokenSequence::responseLength).containsExactly(1, 2, 3, 1, 2);
        assertThat(batch.groupStart(1)).isEqualTo(3);
        assertThat(batch.groupStart(2)).isEqualTo(5);
        assertThat(batch.budget()).isEqualTo(3);
    }

    @Test
    void eachEpochCoversEveryGroupOnceInWholeGroups() {
        List<RolloutGroup> groups = new ArrayList<>();
        for (int k = 0; k < 5; k++) groups.add(group("p" + k, 1, 0, 1));
        ActorBatch batch = ActorBatch.of(groups);
        List<List<Integer>> steps = batch.steps(settings(Map.of("epochs", 2, "mini_batches", 2)));
        assertThat(steps).hasSize(4);
        for (int epoch = 0; epoch < 2; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (List<Integer> rows : steps.subList(2 * epoch, 2 * epoch + 2)) {
                for (int r : rows) assertThat(seen.add(r)).as("row %d twice in epoch %d", r, epoch).isTrue();
                // whole groups: rows come in runs of three starting at a multiple of three
                for (int j = 0; j < rows.size(); j += 3) {
                    assertThat(rows.get(j) % 3).isZero();
                    assertThat(rows.subList(j, j + 3)).containsExactly(rows.get(j), rows.get(j) + 1, rows.get(j) + 2);
                }
            }
            assertThat(seen).hasSize(15);
        }
        assertThat(steps.subList(0, 2)).as("the split is redrawn each epoch (with this seed)").isNotEqualTo(steps.subList(2, 4));
        assertThat(batch.steps(settings(Map.of("epochs", 2, "mini_batches", 2)))).as("reproducible").isEqualTo(steps);
    }

    @Test
    void fewerGroupsThanMiniBatchesMakeOneStepPerGroup() {
        ActorBatch batch = ActorBatch.of(List.of(group("a", 1, 0), group("b", 0, 1)));
        assertThat(batch.steps(settings(Map.of("mini_batches", 4)))).hasSize(2);
        assertThat(ActorBatch.of(List.of()).steps(settings(Map.of()))).isEmpty();
    }

    @Test
    void maskTruncatedLeavesCutResponsesOutOfTheObjective() {
        // group a's second sample (row 1) and group b's first (row 3) were cut at the token limit
        List<RolloutGroup> groups = List.of(truncated(group("a", 1, 0, 1), 1), truncated(group("b", 0, 1), 0));
        ActorBatch batch = ActorBatch.of(groups);
        float[][] rows = numbered(batch.sequences());
        List<Integer> all = List.of(0, 1, 2, 3, 4);

        PolicyGradientSettings masked = settings(Map.of("mask_truncated", true));
        assertThat(batch.masked(masked)).isEqualTo(2);
        PolicyGradientObjective o = batch.objective(masked, all, rows, rows, null, 0.7);
        assertThat(java.util.Arrays.stream(o.advantages()).map(r -> r[0]).toList()).containsExactly(0f, 2f, 4f);
        assertThat(o.sequences()).containsExactly(batch.sequences().get(0), batch.sequences().get(2), batch.sequences().get(4));
        assertThat(o.temperature()).isEqualTo(0.7);
        assertThat(o.budget()).as("the batch's, masked rows included").isEqualTo(3);
        assertThat(batch.objective(masked, List.of(1, 3), rows, rows, null, 1.0)).as("nothing left to train").isNull();

        PolicyGradientSettings kept = settings(Map.of());
        assertThat(batch.masked(kept)).isZero();
        assertThat(batch.objective(kept, all, rows, rows, null, 1.0).sequences()).hasSize(5);
    }

    @Test
    void theReferenceIsPassedOnlyWithAnActiveKlTerm() {
        ActorBatch batch = ActorBatch.of(List.of(group("a", 1, 0)));
        float[][] rows = numbered(batch.sequences());
        assertThat(batch.objective(settings(Map.of()), List.of(0, 1), rows, rows, rows, 1.0).refLogProbs()).isNull();
        assertThat(batch.objective(settings(Map.of("kl_coef", 0.1)), List.of(1), rows, rows, rows, 1.0).refLogProbs())
                .isEqualTo(new float[][] {rows[1]});
    }

    @Test
    void trainTakesEveryStepAndAveragesItsStatistics() {
        io.rlvr4j.api.contract.RecordingModels models = new io.rlvr4j.api.contract.RecordingModels();
        ActorBatch batch = ActorBatch.of(List.of(truncated(group("a", 1, 0), 0, 1), group("b", 0, 1), group("c", 1, 1)));
        float[][] rows = numbered(batch.sequences());
        Map<String, Double> stats = new java.util.HashMap<>();
        // mini-batches of one group each: the first group's responses were all cut, so its step is skipped
        batch.train(settings(Map.of("mini_batches", 3, "mask_truncated", true)), models, rows, rows, null, stats);
        assertThat(models.trained).hasSize(2).allSatisfy(o -> assertThat(o.temperature()).isEqualTo(io.rlvr4j.api.contract.RecordingModels.TEMPERATURE));
        assertThat(stats).containsEntry("actor/steps", 2.0).containsEntry("actor/masked_truncated", 2.0)
                .containsEntry("actor/pg_loss", 1.5).containsEntry("actor/grad_norm", 3.0);
    }
}
