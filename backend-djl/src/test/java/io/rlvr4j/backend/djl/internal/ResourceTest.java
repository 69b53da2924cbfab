package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.BaseNDManager;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.api.objective.ValueObjective;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Native arrays do not pile up across steps: every per-call array is freed with its scope. */
class ResourceTest {

    private static int live(DjlPolicy p) {
        return ((BaseNDManager) p.model().manager()).getManagedArrays().size();
    }

    @Test
    void repeatedCallsLeaveNoArraysBehind() {
        List<TokenSequence> seqs = TrainingTest.sequences(31);
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(1e-3))) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8});
            // warm up once: the first calls may create the optimiser moments and grow the rotary tables
            p.generate(prompts, new SamplingParams(1, 1, 0, 300, Set.of(), 1));
            p.train(SupervisedObjective.tokenMean(seqs));
            int before = live(p);
            for (int i = 0; i < 3; i++) {
                p.generate(prompts, new SamplingParams(1, 0.9, 5, 40, Set.of(38), i));
                p.logProbs(seqs);
                p.train(SupervisedObjective.tokenMean(seqs));
                p.train(TrainingTest.fullPolicyGradient(p, seqs, LossAggregation.SEQ_MEAN_TOKEN_MEAN, KlEstimator.K2, 0.01));
                p.train(new ImplicitPrmObjective(seqs, new float[seqs.size()], 1.0, p.logProbs(seqs)));
                p.loadWeights(p.exportWeights());
            }
            assertThat(live(p)).isEqualTo(before);
        }
        try (DjlPolicy critic = (DjlPolicy) new DjlPolicyBackend().open(
                new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.CRITIC, OptimizerSpec.adamW(1e-3), 0), Fixture.cpu(2))) {
            float[][] v = critic.values(seqs);
            critic.train(new ValueObjective(seqs, v, v, 0.2, LossAggregation.TOKEN_MEAN, 1));
            int before = live(critic);
            critic.train(new ValueObjective(seqs, v, critic.values(seqs), 0.2, LossAggregation.TOKEN_MEAN, 1));
            assertThat(live(critic)).isEqualTo(before);
        }
    }

    @Test
    void aClosedPolicyRefusesWork() {
        DjlPolicy p = Fixture.open(null);
        p.close();
        p.close();
        assertThatThrownBy(() -> p.logProbs(TrainingTest.sequences(1))).isInstanceOf(IllegalStateException.class);
    }
}
