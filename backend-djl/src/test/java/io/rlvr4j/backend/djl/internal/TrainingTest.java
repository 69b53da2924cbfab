package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.api.objective.ValueObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainingTest {

    /** Sequences of different prompt and response lengths (one response empty) over the fixture's vocabulary. */
    static List<TokenSequence> sequences(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TokenSequence> out = new ArrayList<>();
        int[][] shapes = {{5, 7}, {3, 12}, {9, 1}, {4, 0}, {6, 9}, {2, 5}};
        for (int[] s : shapes) out.add(TokenSequence.of(r.ints(s[0], 0, 60).toArray(), r.ints(s[1], 0, 60).toArray()));
        return out;
    }

    static float[][] perToken(List<TokenSequence> seqs, long seed, double scale, double shift) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] out = new float[seqs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[seqs.get(i).responseLength()];
            for (int k = 0; k < out[i].length; k++) out[i][k] = (float) (shift + scale * r.nextGaussian());
        }
        return out;
    }

    private static float[][] shifted(float[][] a, long seed, double noise) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int k = 0; k < out[i].length; k++) out[i][k] += (float) (noise * r.nextGaussian());
        }
        return out;
    }

    /** {@return the Java reference's clipped policy-gradient term of each token, at log-probs {@code lp}} */
    private static float[][] referencePolicyLoss(PolicyGradientObjective o, float[][] lp) {
        float[][] pg = new float[lp.length][];
        for (int i = 0; i < lp.length; i++) {
            pg[i] = new float[lp[i].length];
            for (int k = 0; k < lp[i].length; k++) pg[i][k] = (float) o.tokenPolicyLoss(lp[i][k], o.oldLogProbs()[i][k], o.advantages()[i][k]);
        }
        return pg;
    }

    /** {@return the Java reference's KL estimate of each token, at log-probs {@code lp}} */
    private static float[][] referenceKl(PolicyGradientObjective o, float[][] lp) {
        float[][] kl = new float[lp.length][];
        for (int i = 0; i < lp.length; i++) {
            kl[i] = new float[lp[i].length];
            for (int k = 0; k < lp[i].length; k++) kl[i][k] = (float) o.kl().estimator().estimate(lp[i][k], o.refLogProbs()[i][k]);
        }
        return kl;
    }

    private static DjlPolicy open(OptimizerSpec opt, int microBatch) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, opt, 0),
                Fixture.cpu(microBatch));
    }

    /** A policy-gradient objective with every feature on: KL, entropy bonus, dual clip, asymmetric clip. */
    static PolicyGradientObjective fullPolicyGradient(DjlPolicy p, List<TokenSequence> seqs, LossAggregation agg, KlEstimator est,
                                                      double entropy) {
        float[][] lp = p.logProbs(seqs);
        return new PolicyGradientObjective(seqs, perToken(seqs, 1, 1.0, 0), shifted(lp, 2, 0.3), shifted(lp, 3, 0.5),
                new ClipRange(0.2, 0.28), 3.0, new KlPenalty(0.1, est), entropy, agg, 16);
    }

    @Test
    void supervisedStepsLowerTheLoss() {
        List<TokenSequence> seqs = sequences(1);
        try (DjlPolicy p = open(OptimizerSpec.adamW(3e-3), 32)) {
            SupervisedObjective o = SupervisedObjective.tokenMean(seqs);
            double first = p.train(o).get("loss");
            double last = first;
            for (int s = 0; s < 8; s++) last = p.train(o).get("loss");
            assertThat(last).isLessThan(first * 0.8);
            assertThat(p.steps()).isEqualTo(9);
        }
    }

    @ParameterizedTest
    @EnumSource(LossAggregation.class)
    void microBatchingGivesTheFullBatchStep(LossAggregation agg) {
        List<TokenSequence> seqs = sequences(2);
        OptimizerSpec opt = new OptimizerSpec(1e-3, 0.9, 0.999, 1e-8, 0.01, 0.5, 0);
        try (DjlPolicy one = open(opt, 1); DjlPolicy all = open(opt, 64); DjlPolicy three = open(opt, 3)) {
            for (Objective o : List.of(new SupervisedObjective(seqs, agg, 16),
                    fullPolicyGradient(all, seqs, agg, KlEstimator.K3, 0.01))) {
                Map<String, Double> a = one.train(o);
                Map<String, Double> b = all.train(o);
                Map<String, Double> c = three.train(o);
                assertThat(a.get("loss")).isCloseTo(b.get("loss"), within(1e-5));
                assertThat(c.get("loss")).isCloseTo(b.get("loss"), within(1e-5));
                assertThat(a.get("grad_norm")).isCloseTo(b.get("grad_norm"), within(1e-5 * b.get("grad_norm")));
                Map<String, WeightTensor> wa = one.exportWeights();
                Map<String, WeightTensor> wb = all.exportWeights();
                Map<String, WeightTensor> wc = three.exportWeights();
                for (String name : wb.keySet()) {
                    float[] x = wa.get(name).toArray();
                    float[] y = wb.get(name).toArray();
                    float[] z = wc.get(name).toArray();
                    for (int i = 0; i < y.length; i++) {
                        assertThat(x[i]).as("%s[%d]", name, i).isCloseTo(y[i], within(1e-5f));
                        assertThat(z[i]).as("%s[%d]", name, i).isCloseTo(y[i], within(1e-5f));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LossAggregation.class)
    void policyGradientLossEqualsTheJavaReference(LossAggregation agg) {
        List<TokenSequence> seqs = sequences(3);
        try (DjlPolicy p = open(OptimizerSpec.adamW(1e-3), 4)) {
            for (KlEstimator est : KlEstimator.values()) {
                PolicyGradientObjective o = fullPolicyGradient(p, seqs, agg, est, 0);
                float[][] lp = p.logProbs(seqs);
                float[][] pg = referencePolicyLoss(o, lp);
                float[][] kl = referenceKl(o, lp);
                double expected = agg.aggregate(pg, o.budget()) + o.kl().coefficient() * agg.aggregate(kl, o.budget());
                Map<String, Double> st = p.accumulate(o).stats();
                assertThat(p.accumulate(o).loss()).as("%s %s", agg, est).isCloseTo(expected, within(1e-5));
                assertThat(st.get("pg_loss")).isCloseTo(agg.aggregate(pg, o.budget()), within(1e-5));
                assertThat(st.get("kl")).isCloseTo(agg.aggregate(kl, o.budget()), within(1e-5));
                assertThat(st).containsKeys("clip_frac", "approx_kl", "entropy", "clip_frac/low", "clip_frac/high", "clip_frac/dual");
                assertThat(st.get("clip_frac")).isBetween(0.0, 1.0).isPositive();
            }
        }
    }

    @Test
    void theEntropyBonusSubtractsTheAggregatedEntropy() {
        List<TokenSequence> seqs = sequences(4);
        try (DjlPolicy p = open(OptimizerSpec.adamW(1e-3), 2)) {
            PolicyGradientObjective without = fullPolicyGradient(p, seqs, LossAggregation.TOKEN_MEAN, KlEstimator.K1, 0);
            PolicyGradientObjective with = new PolicyGradientObjective(seqs, without.advantages(), without.oldLogProbs(),
                    without.refLogProbs(), without.clip(), without.dualClip(), without.kl(), 0.05, LossAggregation.TOKEN_MEAN, 16);
            DjlPolicy.Accumulated a = p.accumulate(without);
            DjlPolicy.Accumulated b = p.accumulate(with);
            double entropy = a.stats().get("entropy");
            assertThat(entropy).isBetween(0.5, Math.log(64));
            assertThat(b.loss()).isCloseTo(a.loss() - 0.05 * entropy, within(1e-5));
        }
    }

    @Test
    void theK3PenaltyIsClampedAsTheJavaReference() {
        List<TokenSequence> seqs = sequences(6);
        try (DjlPolicy p = open(OptimizerSpec.adamW(1e-3), 3)) {
            float[][] lp = p.logProbs(seqs);
            float[][] ref = shifted(lp, 8, 4.0); // |ref - logp| often beyond the clamp
            PolicyGradientObjective o = new PolicyGradientObjective(seqs, perToken(seqs, 1, 1.0, 0), lp, ref, ClipRange.symmetric(0.2), 0,
                    new KlPenalty(1.0, KlEstimator.K3), 0, LossAggregation.TOKEN_MEAN, 16);
            float[][] kl = referenceKl(o, lp);
            long clamped = java.util.Arrays.stream(kl).flatMapToDouble(row -> IntStream.range(0, row.length).mapToDouble(k -> row[k]))
                    .filter(v -> v == 10).count();
            assertThat(clamped).as("tokens at the bound").isPositive();
            assertThat(p.accumulate(o).stats().get("kl")).isCloseTo(LossAggregation.TOKEN_MEAN.aggregate(kl, 16), within(1e-4));
        }
    }

    @Test
    void atASamplingTemperatureTheLossIsThatOfTheTemperedDistribution() {
        List<TokenSequence> seqs = sequences(5);
        double t = 0.6;
        try (DjlPolicy p = open(OptimizerSpec.adamW(1e-3), 3)) {
            float[][] lp = p.logProbs(seqs, t);
            PolicyGradientObjective o = new PolicyGradientObjective(seqs, perToken(seqs, 1, 1.0, 0), shifted(lp, 2, 0.3),
                    shifted(lp, 3, 0.5), new ClipRange(0.2, 0.28), 3.0, new KlPenalty(0.1, KlEstimator.K3), 0,
                    LossAggregation.SEQ_MEAN_TOKEN_MEAN, 16, t);
            float[][] pg = referencePolicyLoss(o, lp);
            float[][] kl = referenceKl(o, lp);
            LossAggregation agg = LossAggregation.SEQ_MEAN_TOKEN_MEAN;
            DjlPolicy.Accumulated a = p.accumulate(o);
            assertThat(a.loss()).isCloseTo(agg.aggregate(pg, 16) + 0.1 * agg.aggregate(kl, 16), within(1e-5));

            // below 1 the sampled distribution is sharper than the model's: lower entropy; at 1 the two agree
            assertThat(a.stats().get("entropy_adjusted")).isLessThan(a.stats().get("entropy") - 0.05);
            PolicyGradientObjective atOne = fullPolicyGradient(p, seqs, LossAggregation.TOKEN_MEAN, KlEstimator.K3, 0);
            Map<String, Double> one = p.accumulate(atOne).stats();
            assertThat(one.get("entropy_adjusted")).isEqualTo(one.get("entropy"));
            assertThat(one.get("entropy")).isCloseTo(a.stats().get("entropy"), within(1e-5));

            // the entropy bonus acts on the tempered distribution's entropy
            PolicyGradientObjective bonus = new PolicyGradientObjective(seqs, o.advantages(), o.oldLogProbs(), o.refLogProbs(), o.clip(),
                    o.dualClip(), o.kl(), 0.05, LossAggregation.TOKEN_MEAN, 16, t);
            PolicyGradientObjective noBonus = new PolicyGradientObjective(seqs, o.advantages(), o.oldLogProbs(), o.refLogProbs(), o.clip(),
                    o.dualClip(), o.kl(), 0, LossAggregation.TOKEN_MEAN, 16, t);
            DjlPolicy.Accumulated b = p.accumulate(noBonus);
            assertThat(p.accumulate(bonus).loss()).isCloseTo(b.loss() - 0.05 * b.stats().get("entropy_adjusted"), within(1e-5));
        }
    }

    @Test
    void warmUpRaisesTheLearningRateLinearly() {
        List<TokenSequence> seqs = sequences(5);
        try (DjlPolicy p = open(new OptimizerSpec(1e-3, 0.9, 0.999, 1e-8, 0, 1.0, 4), 32)) {
            SupervisedObjective o = SupervisedObjective.tokenMean(seqs);
            double[] lrs = new double[6];
            for (int s = 0; s < lrs.length; s++) lrs[s] = p.train(o).get("lr");
            assertThat(lrs).containsExactly(new double[] {0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 1e-3, 1e-3}, within(1e-12));
        }
    }

    @Test
    void aFrozenPolicyRefusesToTrain() {
        try (DjlPolicy p = open(null, 32)) {
            assertThatThrownBy(() -> p.train(SupervisedObjective.tokenMean(sequences(1))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("frozen");
            assertThat(p.steps()).isZero();
        }
    }

    @Test
    void rejectsTokensOutsideTheVocabularyAndMismatchedObjectives() {
        try (DjlPolicy p = open(OptimizerSpec.adamW(1e-3), 32)) {
            List<TokenSequence> bad = List.of(new TokenSequence(new int[] {1, 2, 64}, 1));
            assertThatThrownBy(() -> p.train(SupervisedObjective.tokenMean(bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64").hasMessageContaining("[0, 64)");
            List<TokenSequence> seqs = sequences(1);
            float[][] zeros = perToken(seqs, 1, 0, 0);
            assertThatThrownBy(() -> p.train(new ValueObjective(seqs, zeros, zeros, 0, LossAggregation.TOKEN_MEAN, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRITIC");
            assertThatThrownBy(() -> p.values(seqs)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> p.train(SupervisedObjective.tokenMean(List.of())))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCriticLearnsValuesAlignedWithTheTokens() {
        List<TokenSequence> seqs = sequences(6);
        try (DjlPolicy critic = (DjlPolicy) new DjlPolicyBackend().open(
                new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.CRITIC, OptimizerSpec.adamW(3e-3), 9), Fixture.cpu(4))) {
            assertThat(critic.describe()).contains("value head");
            float[][] v0 = critic.values(seqs);
            for (int i = 0; i < seqs.size(); i++) assertThat(v0[i]).hasSize(seqs.get(i).responseLength());
            // the value of response token t is read at position t - 1: a sequence's values only depend on its prefix
            TokenSequence s = seqs.get(1);
            TokenSequence longer = TokenSequence.of(java.util.Arrays.copyOf(s.tokens(), s.promptLength()),
                    java.util.stream.IntStream.concat(java.util.Arrays.stream(s.response()), java.util.stream.IntStream.of(1, 2, 3)).toArray());
            float[] vl = critic.values(List.of(longer))[0];
            for (int k = 0; k < s.responseLength(); k++) assertThat(vl[k]).isCloseTo(v0[1][k], within(1e-5f));
            float[][] returns = perToken(seqs, 8, 0.5, 1.0);
            ValueObjective o = new ValueObjective(seqs, returns, v0, 0.2, LossAggregation.TOKEN_MEAN, 1);
            Map<String, Double> first = critic.train(o);
            // the loss of unchanged values is the reference value
            float[][] flat = new float[seqs.size()][];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = new float[v0[i].length];
                for (int k = 0; k < flat[i].length; k++) flat[i][k] = (float) o.tokenLoss(v0[i][k], v0[i][k], returns[i][k]);
            }
            assertThat(first.get("loss")).isCloseTo(LossAggregation.TOKEN_MEAN.aggregate(flat, 1), within(1e-5));
            assertThat(first).containsKeys("vf_clip_frac", "grad_norm", "lr");
            double last = first.get("loss");
            for (int step = 0; step < 15; step++) {
                last = critic.train(new ValueObjective(seqs, returns, critic.values(seqs), 0, LossAggregation.TOKEN_MEAN, 1)).get("loss");
            }
            assertThat(last).isLessThan(first.get("loss") * 0.5);
            // the language-model head is untouched by value training
            assertThat(critic.exportWeights()).containsKeys(Qwen2Model.SCORE, Qwen2Model.LM_HEAD);
        }
    }

    @Test
    void anImplicitPrmLearnsTheOutcomeLabels() {
        List<TokenSequence> seqs = sequences(7).stream().filter(s -> s.responseLength() > 0).toList();
        float[] labels = new float[seqs.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 2;
        try (DjlPolicy prm = (DjlPolicy) new DjlPolicyBackend().open(
                new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.IMPLICIT_PRM, OptimizerSpec.adamW(2e-3), 0), Fixture.cpu(2))) {
            float[][] ref = prm.logProbs(seqs);
            ImplicitPrmObjective o = new ImplicitPrmObjective(seqs, labels, 0.5, shifted(ref, 4, 0.1));
            float[][] lp = prm.logProbs(seqs);
            double expected = 0;
            for (int i = 0; i < seqs.size(); i++) {
                double sum = 0;
                for (int k = 0; k < lp[i].length; k++) sum += lp[i][k] - o.refLogProbs()[i][k];
                expected += o.sequenceLoss(sum, labels[i]);
            }
            Map<String, Double> first = prm.train(o);
            assertThat(first.get("loss")).isCloseTo(expected / seqs.size(), within(1e-5));
            assertThat(first).containsKeys("accuracy", "grad_norm", "lr");
            Map<String, Double> last = first;
            for (int s = 0; s < 10; s++) last = prm.train(o);
            assertThat(last.get("loss")).isLessThan(first.get("loss") * 0.7);
            assertThat(last.get("accuracy")).isEqualTo(1.0);
        }
    }

    @Test
    void anEmptyResponseCostsTheImplicitPrmItsConstantLoss() {
        List<TokenSequence> seqs = List.of(new TokenSequence(new int[] {1, 2, 3}, 3));
        try (DjlPolicy prm = open(OptimizerSpec.adamW(1e-3), 8)) {
            ImplicitPrmObjective o = new ImplicitPrmObjective(seqs, new float[] {1}, 1.0, new float[][] {{}});
            assertThat(prm.train(o).get("loss")).isCloseTo(Math.log(2), within(1e-9));
        }
    }
}
