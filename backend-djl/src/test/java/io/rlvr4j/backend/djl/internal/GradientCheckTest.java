package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compares the gradients PyTorch computes through the model with central finite differences of the
 * loss, entry by entry, in float32 (step 5e-3; tolerance 2% or 3e-4).
 */
class GradientCheckTest {

    private static final double H = 5e-3;

    /** Parameter entries to probe: name and flat index. */
    private static final Object[][] PROBES = {
            {"model.embed_tokens.weight", 9 * 64 + 3}, {"model.layers.0.self_attn.q_proj.weight", 17},
            {"model.layers.0.self_attn.q_proj.bias", 5}, {"model.layers.0.self_attn.k_proj.weight", 40},
            {"model.layers.1.self_attn.v_proj.bias", 2}, {"model.layers.1.self_attn.o_proj.weight", 100},
            {"model.layers.0.mlp.gate_proj.weight", 77}, {"model.layers.1.mlp.down_proj.weight", 5},
            {"model.layers.1.input_layernorm.weight", 7}, {"model.norm.weight", 11}, {"lm_head.weight", 6 * 64 + 1}};

    private static void check(DjlPolicy p, Objective o) {
        for (NDArray param : p.model().parameters().values()) Ops.zeroGradient(param);
        p.accumulate(o);
        Map<String, Double> analytic = new HashMap<>();
        try (NDScope _ = new NDScope()) {
            for (Object[] probe : PROBES) {
                NDArray g = Ops.gradient(p.model().parameters().get((String) probe[0]));
                analytic.put(probe[0] + "#" + probe[1], (double) g.toFloatArray()[(int) probe[1]]);
            }
        }
        Map<String, WeightTensor> base = p.exportWeights();
        int nonZero = 0;
        for (Object[] probe : PROBES) {
            String name = (String) probe[0];
            int idx = (int) probe[1];
            double plus = lossWith(p, o, base, name, idx, H);
            double minus = lossWith(p, o, base, name, idx, -H);
            double numeric = (plus - minus) / (2 * H);
            double a = analytic.get(name + "#" + idx);
            if (Math.abs(a) > 5e-3) nonZero++;
            assertThat(a).as("d loss / d %s[%d]: analytic %s vs numeric %s", name, idx, a, numeric)
                    .isCloseTo(numeric, org.assertj.core.api.Assertions.within(Math.max(3e-4, 0.02 * Math.abs(numeric))));
        }
        p.loadWeights(base);
        assertThat(nonZero).isGreaterThan(PROBES.length / 2);
    }

    private static double lossWith(DjlPolicy p, Objective o, Map<String, WeightTensor> base, String name, int idx, double delta) {
        Map<String, WeightTensor> w = new HashMap<>(base);
        float[] data = base.get(name).toArray();
        data[idx] += (float) delta;
        w.put(name, new WeightTensor(base.get(name).shape(), data));
        p.loadWeights(w);
        return p.accumulate(o).loss();
    }

    @Test
    void supervisedGradientsMatchFiniteDifferences() {
        List<TokenSequence> seqs = TrainingTest.sequences(11);
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(1e-3))) {
            check(p, new SupervisedObjective(seqs, LossAggregation.SEQ_MEAN_TOKEN_MEAN, 1));
        }
    }

    @Test
    void policyGradientGradientsWithKlAndEntropyMatchFiniteDifferences() {
        List<TokenSequence> seqs = TrainingTest.sequences(12);
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(1e-3))) {
            float[][] lp = p.logProbs(seqs);
            // old = current log-probs: ratios of 1 stay inside the clip range under the perturbations
            PolicyGradientObjective o = new PolicyGradientObjective(seqs, TrainingTest.perToken(seqs, 3, 1.0, 0), lp,
                    TrainingTest.perToken(seqs, 4, 1.0, -4), ClipRange.symmetric(0.2), 2.0, new KlPenalty(0.3, KlEstimator.K3), 0.1,
                    LossAggregation.TOKEN_MEAN, 1);
            check(p, o);
        }
    }

    @Test
    void atATemperatureTheGradientsAreThoseOfTheTemperedLoss() {
        List<TokenSequence> seqs = TrainingTest.sequences(13);
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(1e-3))) {
            float[][] lp = p.logProbs(seqs, 0.7);
            PolicyGradientObjective o = new PolicyGradientObjective(seqs, TrainingTest.perToken(seqs, 5, 1.0, 0), lp,
                    TrainingTest.perToken(seqs, 6, 1.0, -4), ClipRange.symmetric(0.2), 0, new KlPenalty(0.3, KlEstimator.K2), 0.1,
                    LossAggregation.SEQ_MEAN_TOKEN_SUM, 1, 0.7);
            check(p, o);
        }
    }
}
