package io.rlvr4j.api.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplicitPrmObjectiveTest {

    private static final List<TokenSequence> SEQS = List.of(TokenSequence.of(new int[] {1}, new int[] {2, 3}));

    private static ImplicitPrmObjective objective(double beta) {
        return new ImplicitPrmObjective(SEQS, new float[] {1}, beta, new float[][] {{0, 0}});
    }

    /** -[y log p + (1 - y) log(1 - p)], p = sigmoid(z): loses ~1e-8 to cancellation where p is near 1. */
    private static double naiveBce(double z, double y) {
        double p = 1 / (1 + Math.exp(-z));
        return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    }

    @Test
    void sequenceLossEqualsNaiveBinaryCrossEntropy() {
        for (double beta : new double[] {0.05, 1, 3}) {
            ImplicitPrmObjective o = objective(beta);
            for (double s = -6; s <= 6; s += 0.25) {
                for (double y : new double[] {0, 0.3, 1}) {
                    assertThat(o.sequenceLoss(s, y)).as("beta=%s s=%s y=%s", beta, s, y).isCloseTo(naiveBce(beta * s, y), within(1e-7));
                }
            }
        }
    }

    @Test
    void sequenceLossStaysFiniteForLargeLogits() {
        ImplicitPrmObjective o = objective(1);
        // the naive form gives log(0) = -inf here
        assertThat(o.sequenceLoss(1000, 0)).isCloseTo(1000, within(1e-9));
        assertThat(o.sequenceLoss(-1000, 1)).isCloseTo(1000, within(1e-9));
        assertThat(o.sequenceLoss(1000, 1)).isCloseTo(0, within(1e-9));
    }

    @Test
    void rejectsMismatchedLabelsAndNonPositiveBeta() {
        assertThatThrownBy(() -> new ImplicitPrmObjective(SEQS, new float[] {1, 0}, 1, new float[][] {{0, 0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 labels for 1 sequences");
        assertThatThrownBy(() -> objective(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta must be > 0");
        assertThatThrownBy(() -> new ImplicitPrmObjective(SEQS, new float[] {1}, 1, new float[][] {{0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refLogProbs[0]");
    }
}
