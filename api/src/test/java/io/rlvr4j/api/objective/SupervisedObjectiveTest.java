package io.rlvr4j.api.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisedObjectiveTest {

    @Test
    void tokenMeanIsTheUsualSftLoss() {
        SupervisedObjective o = SupervisedObjective.tokenMean(List.of(TokenSequence.of(new int[] {1}, new int[] {2})));
        assertThat(o.aggregation()).isEqualTo(LossAggregation.TOKEN_MEAN);
        assertThat(o.budget()).isEqualTo(1);
        assertThat(o.sequences()).hasSize(1);
    }

    @Test
    void rejectsAZeroBudget() {
        assertThatThrownBy(() -> new SupervisedObjective(List.of(), LossAggregation.TOKEN_MEAN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }
}
