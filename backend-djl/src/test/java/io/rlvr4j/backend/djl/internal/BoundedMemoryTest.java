package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded passes give the results of the whole: logits held a few positions at a time
 * ({@code logit_chunk_tokens}) and micro-batches of a token budget ({@code micro_batch_tokens}) give
 * the log-probs, loss, statistics and gradients of one pass over everything.
 */
class BoundedMemoryTest {

    private static DjlPolicy open(int chunkTokens) {
        return open(Map.of("micro_batch_size", 3, "logit_chunk_tokens", chunkTokens));
    }

    private static DjlPolicy open(Map<String, Object> settings) {
        Map<String, Object> s = new java.util.HashMap<>(Map.of("device", "cpu", "threads", 2));
        s.putAll(settings);
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(1e-3), 0),
                Settings.of(s));
    }

    /** {@return every parameter's accumulated gradient, on the host} */
    private static Map<String, float[]> gradients(DjlPolicy p) {
        Map<String, float[]> out = new LinkedHashMap<>();
        p.model().parameters().forEach((name, w) -> {
            NDArray g = Ops.gradient(w);
            if (g != null) out.put(name, g.toFloatArray());
        });
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 20})
    void chunkedLogProbsEqualUnchunked(int chunk) {
        List<TokenSequence> seqs = TrainingTest.sequences(11);
        try (DjlPolicy whole = open(0); DjlPolicy chunked = open(chunk)) {
            for (double t : new double[] {1.0, 0.7}) {
                float[][] a = whole.logProbs(seqs, t);
                float[][] b = chunked.logProbs(seqs, t);
                for (int i = 0; i < a.length; i++) {
                    assertThat(b[i]).hasSameSizeAs(a[i]);
                    for (int k = 0; k < a[i].length; k++) assertThat(b[i][k]).as("T=%s seq %d token %d", t, i, k).isCloseTo(a[i][k], within(1e-5f));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7})
    void chunkedTrainingAccumulatesTheSameLossStatisticsAndGradients(int chunk) {
        try (DjlPolicy whole = open(0); DjlPolicy chunked = open(chunk)) {
            sameAccumulation(whole, chunked);
        }
    }

    @Test
    void microBatchesOfATokenBudgetAccumulateTheSameLossStatisticsAndGradients() {
        try (DjlPolicy whole = open(Map.of("micro_batch_size", 64)); DjlPolicy budget = open(Map.of("micro_batch_size", 64, "micro_batch_tokens", 30))) {
            sameAccumulation(whole, budget);
        }
    }

    @Test
    void aTokenBudgetBoundsEachMicroBatchAndKeepsEverySequenceOnce() {
        List<TokenSequence> seqs = TrainingTest.sequences(13); // 12, 15, 10, 4, 15, 7 tokens
        List<Batches.MicroBatch> plan = Batches.plan(seqs, 4, 30);
        assertThat(plan).allSatisfy(mb -> assertThat(mb.rows == 1 || (long) mb.rows * mb.width <= 30).as("%d rows x %d", mb.rows, mb.width).isTrue());
        assertThat(plan.stream().flatMapToInt(mb -> java.util.Arrays.stream(mb.indices)).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(plan.stream().map(mb -> mb.rows).toList()).containsExactly(3, 2, 1); // 4+7+10 | 12+15 | 15: 2 x 15 = 30 fits, 3 x 15 does not
        assertThat(Batches.plan(seqs, 4, 5).stream().map(mb -> mb.rows).toList()).as("longer than the budget: one each").containsExactly(1, 1, 1, 1, 1, 1);
        assertThat(Batches.plan(seqs, 4, Integer.MAX_VALUE).stream().map(mb -> mb.rows).toList()).containsExactly(4, 2);
    }

    /** Asserts that {@code a} and {@code b}, opened on the same weights, accumulate the same loss, statistics and gradients. */
    private static void sameAccumulation(DjlPolicy whole, DjlPolicy chunked) {
        List<TokenSequence> seqs = TrainingTest.sequences(12);
        {
            float[][] lp = whole.logProbs(seqs, 0.7);
            List<Objective> objectives = List.of(
                    SupervisedObjective.tokenMean(seqs),
                    TrainingTest.fullPolicyGradient(whole, seqs, LossAggregation.SEQ_MEAN_TOKEN_SUM, KlEstimator.K3, 0.05),
                    new PolicyGradientObjective(seqs, TrainingTest.perToken(seqs, 1, 1.0, 0), lp, lp, new ClipRange(0.2, 0.28), 3.0,
                            new KlPenalty(0.1, KlEstimator.K1), 0.01, LossAggregation.TOKEN_MEAN, 16, 0.7));
            for (Objective o : objectives) {
                for (DjlPolicy p : List.of(whole, chunked)) p.model().parameters().values().forEach(Ops::zeroGradient);
                DjlPolicy.Accumulated a = whole.accumulate(o);
                DjlPolicy.Accumulated b = chunked.accumulate(o);
                String what = o.getClass().getSimpleName();
                assertThat(b.loss()).as(what).isCloseTo(a.loss(), within(1e-5));
                assertThat(b.stats().keySet()).as(what).isEqualTo(a.stats().keySet());
                a.stats().forEach((k, v) -> assertThat(b.stats().get(k)).as("%s %s", what, k).isCloseTo(v, within(1e-5)));
                Map<String, float[]> ga = gradients(whole);
                Map<String, float[]> gb = gradients(chunked);
                assertThat(gb.keySet()).as(what).isEqualTo(ga.keySet()).isNotEmpty();
                double largest = 0;
                for (String name : ga.keySet()) {
                    float[] x = ga.get(name);
                    float[] y = gb.get(name);
                    for (int i = 0; i < x.length; i++) {
                        largest = Math.max(largest, Math.abs(x[i]));
                        assertThat(y[i]).as("%s d%s[%d]", what, name, i).isCloseTo(x[i], within(1e-5f));
                    }
                }
                assertThat(largest).as("%s: the gradient is not zero", what).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void autoHoldsSixtyFourMegabytesOfLogits() {
        DjlSettings s = DjlSettings.read(Settings.of(Map.of()));
        assertThat(s.logitChunkTokens(151_936)).isEqualTo(110);
        assertThat(s.logitChunkTokens(100)).isEqualTo(167_772);
        assertThat(DjlSettings.read(Settings.of(Map.of("logit_chunk_tokens", 0))).logitChunkTokens(151_936)).isEqualTo(Integer.MAX_VALUE);
        assertThat(DjlSettings.read(Settings.of(Map.of("logit_chunk_tokens", 256))).logitChunkTokens(151_936)).isEqualTo(256);
    }
}
