package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.api.objective.ValueObjective;
import io.rlvr4j.api.objective.LossAggregation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy saved with its training state and reopened takes the very steps the original would have. */
class TrainingStateTest {

    private static final List<TokenSequence> SEQS = TrainingTest.sequences(21);
    private static final OptimizerSpec ADAM = new OptimizerSpec(2e-3, 0.9, 0.95, 1e-8, 0.01, 1.0, 3);

    @Test
    void anActorResumedFromItsTrainingStateMatchesTheUninterruptedOneBitForBit(@TempDir Path tmp) {
        for (String dtype : List.of("float32", "bfloat16")) {
            Settings settings = Settings.of(Map.of("device", "cpu", "threads", 2, "save_dtype", dtype));
            Map<String, WeightTensor> uninterrupted;
            Path saved = tmp.resolve(dtype);
            try (DjlPolicy p = open(Fixture.DIR, ModelRole.ACTOR, settings)) {
                for (int i = 0; i < 2; i++) p.train(SupervisedObjective.tokenMean(SEQS));
                p.save(saved);
                p.saveTrainingState(saved.resolve("optimizer"));
                for (int i = 0; i < 2; i++) p.train(SupervisedObjective.tokenMean(TrainingTest.sequences(22 + i)));
                uninterrupted = p.exportWeights();
            }
            try (DjlPolicy q = open(saved, ModelRole.ACTOR, settings)) {
                q.restoreTrainingState(saved.resolve("optimizer"));
                assertThat(q.steps()).isEqualTo(2);
                for (int i = 0; i < 2; i++) q.train(SupervisedObjective.tokenMean(TrainingTest.sequences(22 + i)));
                assertSame(q.exportWeights(), uninterrupted, dtype);
            }
            // without the state, the same two steps land elsewhere: the test can tell
            try (DjlPolicy fresh = open(saved, ModelRole.ACTOR, settings)) {
                for (int i = 0; i < 2; i++) fresh.train(SupervisedObjective.tokenMean(TrainingTest.sequences(22 + i)));
                assertThat(fresh.exportWeights().get("model.norm.weight").toArray()).isNotEqualTo(uninterrupted.get("model.norm.weight").toArray());
            }
        }
    }

    @Test
    void aCriticResumesWithItsValueHeadAndMoments(@TempDir Path tmp) {
        Settings settings = Fixture.cpu();
        float[][] returns = TrainingTest.perToken(SEQS, 5, 1.0, 0);
        Map<String, WeightTensor> uninterrupted;
        Path saved = tmp.resolve("critic");
        try (DjlPolicy p = open(Fixture.DIR, ModelRole.CRITIC, settings)) {
            p.train(value(p, returns));
            p.save(saved);
            p.saveTrainingState(saved.resolve("optimizer"));
            p.train(value(p, returns));
            uninterrupted = p.exportWeights();
        }
        try (DjlPolicy q = open(saved, ModelRole.CRITIC, settings)) {
            q.restoreTrainingState(saved.resolve("optimizer"));
            q.train(value(q, returns));
            assertSame(q.exportWeights(), uninterrupted, "critic");
        }
    }

    @Test
    void anotherModelsStateOrNoneIsRefused(@TempDir Path tmp) {
        Path saved = tmp.resolve("actor");
        try (DjlPolicy p = open(Fixture.DIR, ModelRole.ACTOR, Fixture.cpu())) {
            p.train(SupervisedObjective.tokenMean(SEQS));
            p.save(saved);
            p.saveTrainingState(saved.resolve("optimizer"));
        }
        try (DjlPolicy critic = open(Fixture.DIR, ModelRole.CRITIC, Fixture.cpu())) {
            assertThatThrownBy(() -> critic.restoreTrainingState(saved.resolve("optimizer")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another model");
            assertThatThrownBy(() -> critic.restoreTrainingState(tmp.resolve("nothing")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no optimiser state");
        }
    }

    private static ValueObjective value(DjlPolicy p, float[][] returns) {
        return new ValueObjective(SEQS, returns, p.values(SEQS), 0.2, LossAggregation.TOKEN_MEAN, 16);
    }

    private static DjlPolicy open(Path dir, ModelRole role, Settings settings) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.LOAD, role, ADAM, 0), settings);
    }

    private static void assertSame(Map<String, WeightTensor> got, Map<String, WeightTensor> expected, String what) {
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(got.get(name).toArray()).as(what + ": " + name).isEqualTo(expected.get(name).toArray());
        }
    }
}
