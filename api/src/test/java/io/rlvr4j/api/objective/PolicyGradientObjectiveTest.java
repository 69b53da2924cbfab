package io.rlvr4j.api.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.KlEstimator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyGradientObjectiveTest {

    private static final List<TokenSequence> SEQS = List.of(TokenSequence.of(new int[] {1, 2}, new int[] {3, 4, 5}));
    private static final float[][] PER_TOKEN = {{0, 0, 0}};

    private static PolicyGradientObjective objective(ClipRange clip, double dualClip) {
        return new PolicyGradientObjective(SEQS, PER_TOKEN, PER_TOKEN, null, clip, dualClip, KlPenalty.none(), 0,
                LossAggregation.TOKEN_MEAN, 1);
    }

    /** The token loss at probability ratio {@code ratio}. */
    private static double loss(PolicyGradientObjective o, double ratio, double advantage) {
        return o.tokenPolicyLoss(Math.log(ratio), 0, advantage);
    }

    @Test
    void insideTheTrustRegionTheLossIsMinusRatioTimesAdvantage() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 0);
        assertThat(loss(o, 1.1, 1)).isCloseTo(-1.1, within(1e-12));
        assertThat(loss(o, 0.9, -2)).isCloseTo(1.8, within(1e-12));
        assertThat(loss(o, 1.0, 0.5)).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void aPositiveAdvantageIsClippedAboveOnePlusHigh() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 0);
        assertThat(loss(o, 1.5, 1)).isCloseTo(-1.2, within(1e-12));
        // below the range the unclipped, pessimistic term wins
        assertThat(loss(o, 0.5, 1)).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void aNegativeAdvantageIsClippedBelowOneMinusLow() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 0);
        assertThat(loss(o, 0.5, -1)).isCloseTo(0.8, within(1e-12));
        // above the range the unclipped, pessimistic term wins
        assertThat(loss(o, 1.5, -1)).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void clipHigherWidensOnlyTheUpperBound() {
        PolicyGradientObjective o = objective(new ClipRange(0.2, 0.28), 0);
        assertThat(loss(o, 1.25, 1)).isCloseTo(-1.25, within(1e-12));
        assertThat(loss(o, 1.30, 1)).isCloseTo(-1.28, within(1e-12));
        assertThat(loss(o, 0.5, -1)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void dualClipBoundsTheLossOfNegativeAdvantages() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 3);
        assertThat(loss(o, 5, -1)).isCloseTo(3, within(1e-12));
        assertThat(loss(o, 5, -2)).isCloseTo(6, within(1e-12));
        assertThat(loss(o, 2, -1)).isCloseTo(2, within(1e-12));
        // positive advantages are untouched
        assertThat(loss(o, 5, 1)).isCloseTo(-1.2, within(1e-12));
    }

    @Test
    void withoutDualClipTheLossOfNegativeAdvantagesGrowsWithTheRatio() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 0);
        assertThat(loss(o, 5, -1)).isCloseTo(5, within(1e-12));
    }

    @Test
    void zeroAdvantageGivesZeroLoss() {
        PolicyGradientObjective o = objective(ClipRange.symmetric(0.2), 3);
        assertThat(loss(o, 3, 0)).isZero();
    }

    @Test
    void rejectsPerTokenArraysOfTheWrongShape() {
        float[][] wrong = {{0, 0}};
        assertThatThrownBy(() -> new PolicyGradientObjective(SEQS, wrong, PER_TOKEN, null, ClipRange.symmetric(0.2), 0,
                KlPenalty.none(), 0, LossAggregation.TOKEN_MEAN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advantages[0] has 2 entries for a response of 3 tokens");
        assertThatThrownBy(() -> new PolicyGradientObjective(SEQS, PER_TOKEN, new float[2][3], null, ClipRange.symmetric(0.2), 0,
                KlPenalty.none(), 0, LossAggregation.TOKEN_MEAN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oldLogProbs has 2 rows for 1 sequences");
    }

    @Test
    void anActiveKlPenaltyNeedsReferenceLogProbs() {
        KlPenalty kl = new KlPenalty(0.01, KlEstimator.K3);
        assertThatThrownBy(() -> new PolicyGradientObjective(SEQS, PER_TOKEN, PER_TOKEN, null, ClipRange.symmetric(0.2), 0,
                kl, 0, LossAggregation.TOKEN_MEAN, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("refLogProbs");
        assertThatCode(() -> new PolicyGradientObjective(SEQS, PER_TOKEN, PER_TOKEN, PER_TOKEN, ClipRange.symmetric(0.2), 0,
                kl, 0, LossAggregation.TOKEN_MEAN, 1)).doesNotThrowAnyException();
    }

    @Test
    void rejectsADualClipOfOneOrLess() {
        assertThatThrownBy(() -> objective(ClipRange.symmetric(0.2), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dual clip must be > 1 or 0");
        assertThatThrownBy(() -> objective(ClipRange.symmetric(0.2), 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsANegativeEntropyCoefficientAndAZeroBudget() {
        assertThatThrownBy(() -> new PolicyGradientObjective(SEQS, PER_TOKEN, PER_TOKEN, null, ClipRange.symmetric(0.2), 0,
                KlPenalty.none(), -0.1, LossAggregation.TOKEN_MEAN, 1)).hasMessageContaining("entropy coefficient");
        assertThatThrownBy(() -> new PolicyGradientObjective(SEQS, PER_TOKEN, PER_TOKEN, null, ClipRange.symmetric(0.2), 0,
                KlPenalty.none(), 0, LossAggregation.TOKEN_MEAN, 0)).hasMessageContaining("budget must be >= 1");
    }

    @Test
    void copiesTheSequenceList() {
        var list = new java.util.ArrayList<>(SEQS);
        PolicyGradientObjective o = new PolicyGradientObjective(list, PER_TOKEN, PER_TOKEN, null, ClipRange.symmetric(0.2), 0,
                KlPenalty.none(), 0, LossAggregation.TOKEN_MEAN, 1);
        list.clear();
        assertThat(o.sequences()).hasSize(1);
    }
}
