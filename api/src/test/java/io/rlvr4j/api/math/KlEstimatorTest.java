package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KlEstimatorTest {

    // a small discrete policy p and reference q over three tokens
    private static final double[] P = {0.5, 0.3, 0.2};
    private static final double[] Q = {0.2, 0.5, 0.3};

    private static double trueKl() {
        double kl = 0;
        for (int x = 0; x < P.length; x++) kl += P[x] * Math.log(P[x] / Q[x]);
        return kl;
    }

    @Test
    void estimatorsGiveSchulmansValues() {
        // logp = -1, logRef = -2: d = logRef - logp = -1
        assertThat(KlEstimator.K1.estimate(-1, -2)).isCloseTo(1, within(1e-15));
        assertThat(KlEstimator.K2.estimate(-1, -2)).isCloseTo(0.5, within(1e-15));
        assertThat(KlEstimator.K3.estimate(-1, -2)).isCloseTo(Math.exp(-1) - 1 + 1, within(1e-15));
        // d = +0.5
        assertThat(KlEstimator.K1.estimate(-1, -0.5)).isCloseTo(-0.5, within(1e-15));
        assertThat(KlEstimator.K2.estimate(-1, -0.5)).isCloseTo(0.125, within(1e-15));
        assertThat(KlEstimator.K3.estimate(-1, -0.5)).isCloseTo(Math.exp(0.5) - 1 - 0.5, within(1e-15));
    }

    @Test
    void everyEstimatorIsZeroWhenThePoliciesAgree() {
        for (KlEstimator k : KlEstimator.values()) {
            assertThat(k.estimate(-1.3, -1.3)).as(k.name()).isZero();
        }
    }

    @Test
    void k1CanBeNegative() {
        assertThat(KlEstimator.K1.estimate(-2, -1)).isNegative();
    }

    @Test
    void k2AndK3AreNeverNegative() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            double logp = rnd.nextDouble(-30, 0);
            double logRef = rnd.nextDouble(-30, 0);
            assertThat(KlEstimator.K3.estimate(logp, logRef)).isGreaterThanOrEqualTo(0);
            assertThat(KlEstimator.K2.estimate(logp, logRef)).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void k3IsAccurateForTinyDifferences() {
        // exp(d) - 1 - d ~ d^2 / 2; expm1 keeps it from cancelling to 0
        assertThat(KlEstimator.K3.estimate(0, 1e-6)).isCloseTo(0.5e-12, within(1e-18));
    }

    @Test
    void k3IsClampedAsVerlsLowVarKl() {
        // d = ref - logp = 3: exp(3) - 1 - 3 = 16.09 > 10, clamped to 10
        assertThat(KlEstimator.K3.estimate(-4, -1)).isEqualTo(10);
        // d = 2: exp(2) - 3 = 4.389, inside the bound
        assertThat(KlEstimator.K3.estimate(-3, -1)).isCloseTo(Math.exp(2) - 3, within(1e-12));
        // far out either way the estimate saturates at the bound, never inf or NaN (d is clamped to +-20 first)
        assertThat(KlEstimator.K3.estimate(0, -1000)).isEqualTo(10);
        assertThat(KlEstimator.K3.estimate(-1000, 0)).isEqualTo(10);
        // d = -9: exp(-9) - 1 + 9 = 8.0001, inside
        assertThat(KlEstimator.K3.estimate(0, -9)).isCloseTo(Math.exp(-9) + 8, within(1e-12));
    }

    @Test
    void verlsNamesAreAccepted() {
        assertThat(KlEstimator.named("kl")).isEqualTo(KlEstimator.K1);
        assertThat(KlEstimator.named("mse")).isEqualTo(KlEstimator.K2);
        assertThat(KlEstimator.named("low_var_kl")).isEqualTo(KlEstimator.K3);
        assertThat(KlEstimator.named("Low-Var-KL")).isEqualTo(KlEstimator.K3);
        assertThat(KlEstimator.named("K2")).isEqualTo(KlEstimator.K2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KlEstimator.named("full"))
                .hasMessageContaining("k1, k2, k3 (verl's kl, mse, low_var_kl)");
    }

    @Test
    void k1AndK3AreUnbiasedInExpectation() {
        for (KlEstimator k : new KlEstimator[] {KlEstimator.K1, KlEstimator.K3}) {
            double expected = 0;
            for (int x = 0; x < P.length; x++) expected += P[x] * k.estimate(Math.log(P[x]), Math.log(Q[x]));
            assertThat(expected).as(k.name()).isCloseTo(trueKl(), within(1e-12));
        }
    }

    @Test
    void k1MeanOverSamplesApproachesTheTrueKl() {
        SplittableRandom rnd = new SplittableRandom(5);
        int samples = 400_000;
        double k1 = 0;
        double k3 = 0;
        for (int i = 0; i < samples; i++) {
            double u = rnd.nextDouble();
            int x = u < P[0] ? 0 : u < P[0] + P[1] ? 1 : 2;
            k1 += KlEstimator.K1.estimate(Math.log(P[x]), Math.log(Q[x]));
            k3 += KlEstimator.K3.estimate(Math.log(P[x]), Math.log(Q[x]));
        }
        // KL = 0.224; the per-sample std of k1 is ~0.6, so the standard error is ~0.001
        assertThat(k1 / samples).isCloseTo(trueKl(), within(0.005));
        assertThat(k3 / samples).isCloseTo(trueKl(), within(0.005));
    }

    @Test
    void k2IsBiased() {
        double expected = 0;
        for (int x = 0; x < P.length; x++) expected += P[x] * KlEstimator.K2.estimate(Math.log(P[x]), Math.log(Q[x]));
        assertThat(Math.abs(expected - trueKl())).isGreaterThan(0.01);
    }
}
