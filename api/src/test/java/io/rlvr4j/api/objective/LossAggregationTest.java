package io.rlvr4j.api.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.config.Settings;
import org.junit.jupiter.api.Test;

class LossAggregationTest {

    // two sequences of 3 and 1 tokens: sums 6 and 4, means 2 and 4, 4 tokens in all
    private static final float[][] RAGGED = {{1, 2, 3}, {4}};

    @Test
    void tokenMeanWeighsEveryTokenTheSame() {
        assertThat(LossAggregation.TOKEN_MEAN.aggregate(RAGGED, 8)).isCloseTo(10.0 / 4, within(1e-12));
    }

    @Test
    void seqMeanTokenSumAveragesTheSequenceSums() {
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_SUM.aggregate(RAGGED, 8)).isCloseTo((6.0 + 4.0) / 2, within(1e-12));
    }

    @Test
    void seqMeanTokenMeanAveragesTheSequenceMeans() {
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_MEAN.aggregate(RAGGED, 8)).isCloseTo((2.0 + 4.0) / 2, within(1e-12));
    }

    @Test
    void seqMeanTokenSumNormDividesEachSumByTheBudget() {
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM.aggregate(RAGGED, 8)).isCloseTo((6.0 / 8 + 4.0 / 8) / 2, within(1e-12));
    }

    @Test
    void onlySeqMeanTokenSumNormUsesTheBudget() {
        for (LossAggregation agg : LossAggregation.values()) {
            boolean changes = agg.aggregate(RAGGED, 8) != agg.aggregate(RAGGED, 16);
            assertThat(changes).as(agg.name()).isEqualTo(agg == LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM);
        }
    }

    @Test
    void anEmptySequenceCountsAsASequenceWithNoLoss() {
        float[][] withEmpty = {{1, 2, 3}, {4}, {}};
        assertThat(LossAggregation.TOKEN_MEAN.aggregate(withEmpty, 8)).isCloseTo(10.0 / 4, within(1e-12));
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_SUM.aggregate(withEmpty, 8)).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_MEAN.aggregate(withEmpty, 8)).isCloseTo(6.0 / 3, within(1e-12));
        assertThat(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM.aggregate(withEmpty, 8)).isCloseTo(10.0 / 8 / 3, within(1e-12));
    }

    @Test
    void noTokensAggregateToZero() {
        for (LossAggregation agg : LossAggregation.values()) {
            assertThat(agg.aggregate(new float[0][], 4)).as(agg.name()).isZero();
            assertThat(agg.aggregate(new float[][] {{}, {}}, 4)).as(agg.name()).isZero();
        }
    }

    @Test
    void configurationSpellsModesInKebabCase() {
        assertThat(Settings.configName(LossAggregation.TOKEN_MEAN)).isEqualTo("token-mean");
        assertThat(Settings.configName(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM)).isEqualTo("seq-mean-token-sum-norm");
    }
}
