package io.rlvr4j.api.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueObjectiveTest {

    private static final List<TokenSequence> SEQS = List.of(TokenSequence.of(new int[] {1}, new int[] {2, 3}));
    private static final float[][] PER_TOKEN = {{0, 0}};

    private static ValueObjective objective(double valueClip) {
        return new ValueObjective(SEQS, PER_TOKEN, PER_TOKEN, valueClip, LossAggregation.TOKEN_MEAN, 1);
    }

    @Test
    void withoutClippingTheLossIsHalfTheSquaredError() {
        assertThat(objective(0).tokenLoss(1.0, 0.0, 3.0)).isCloseTo(0.5 * 4, within(1e-12));
        assertThat(objective(0).tokenLoss(-1.0, 5.0, 1.0)).isCloseTo(0.5 * 4, within(1e-12));
    }

    @Test
    void clippingTakesTheLargerOfTheTwoErrors() {
        // v moved from 0 to 1, clipped to 0.2; target 2: (1 - 2)^2 = 1 < (0.2 - 2)^2 = 3.24
        assertThat(objective(0.2).tokenLoss(1.0, 0.0, 2.0)).isCloseTo(0.5 * 3.24, within(1e-12));
        // target 0.1: (1 - 0.1)^2 = 0.81 > (0.2 - 0.1)^2 = 0.01
        assertThat(objective(0.2).tokenLoss(1.0, 0.0, 0.1)).isCloseTo(0.5 * 0.81, within(1e-12));
    }

    @Test
    void clippingIsSymmetricAroundTheOldValue() {
        // v moved from 0 to -1, clipped to -0.2; target -2: max(1, 3.24)
        assertThat(objective(0.2).tokenLoss(-1.0, 0.0, -2.0)).isCloseTo(0.5 * 3.24, within(1e-12));
    }

    @Test
    void aSmallMoveIsNotClipped() {
        assertThat(objective(0.2).tokenLoss(0.1, 0.0, 1.0)).isCloseTo(0.5 * 0.81, within(1e-12));
    }

    @Test
    void rejectsANegativeValueClipAndWrongShapes() {
        assertThatThrownBy(() -> objective(-0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value clip");
        assertThatThrownBy(() -> new ValueObjective(SEQS, new float[][] {{0}}, PER_TOKEN, 0, LossAggregation.TOKEN_MEAN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returns[0]");
        assertThatThrownBy(() -> new ValueObjective(SEQS, PER_TOKEN, PER_TOKEN, 0, LossAggregation.TOKEN_MEAN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }
}
