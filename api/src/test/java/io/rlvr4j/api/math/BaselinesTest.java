package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static double[] randomGroup(SplittableRandom rnd) {
        int n = 2 + rnd.nextInt(15);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = rnd.nextBoolean() ? rnd.nextInt(2) : rnd.nextDouble(-1, 1);
        return r;
    }

    @Test
    void leaveOneOutAdvantagesSumToZero() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int t = 0; t < 1000; t++) {
            double[] adv = Baselines.leaveOneOut(randomGroup(rnd));
            assertThat(Arrays.stream(adv).sum()).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void leaveOneOutSubtractsTheMeanOfTheOthers() {
        double[] r = {1, 0, 0, 1, 1};
        double[] adv = Baselines.leaveOneOut(r);
        for (int i = 0; i < r.length; i++) {
            double others = 0;
            for (int j = 0; j < r.length; j++) if (j != i) others += r[j];
            assertThat(adv[i]).isCloseTo(r[i] - others / (r.length - 1), within(1e-15));
        }
        assertThat(adv[0]).isCloseTo(1 - 2.0 / 4, within(1e-15));
        assertThat(adv[1]).isCloseTo(0 - 3.0 / 4, within(1e-15));
    }

    @Test
    void leaveOneOutEqualsScaledDeviationFromTheMean() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int t = 0; t < 1000; t++) {
            double[] r = randomGroup(rnd);
            int n = r.length;
            double mean = GroupStats.mean(r);
            double[] adv = Baselines.leaveOneOut(r);
            for (int i = 0; i < n; i++) {
                assertThat(adv[i]).isCloseTo((double) n / (n - 1) * (r[i] - mean), within(1e-12));
            }
        }
    }

    @Test
    void leaveOneOutOfASingleSampleIsZero() {
        assertThat(Baselines.leaveOneOut(new double[] {5})).containsExactly(0.0);
    }

    @Test
    void leaveOneOutOfAnEmptyGroupIsEmpty() {
        assertThat(Baselines.leaveOneOut(new double[0])).isEmpty();
    }

    @Test
    void leaveOneOutOfEqualRewardsIsZero() {
        assertThat(Baselines.leaveOneOut(new double[] {1, 1, 1, 1})).containsOnly(0.0);
    }

    @Test
    void groupNormalizedDividesByTheSampleStdPlusEpsilon() {
        // mean 0.25; squared deviations 0.5625 + 3 * 0.0625 = 0.75; Bessel: 0.75 / 3 = 0.25; std 0.5
        double[] adv = Baselines.groupNormalized(new double[] {1, 0, 0, 0}, true, 1e-6);
        assertThat(adv[0]).isCloseTo(0.75 / (0.5 + 1e-6), within(1e-15));
        assertThat(adv[1]).isCloseTo(-0.25 / (0.5 + 1e-6), within(1e-15));
        assertThat(adv[2]).isEqualTo(adv[1]);
        assertThat(adv[3]).isEqualTo(adv[1]);
    }

    @Test
    void groupNormalizedWithoutStdOnlySubtractsTheMean() {
        double[] adv = Baselines.groupNormalized(new double[] {1, 0, 0, 0}, false, 1e-6);
        assertThat(adv).containsExactly(0.75, -0.25, -0.25, -0.25);
    }

    @Test
    void groupNormalizedAdvantagesSumToZero() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 1000; t++) {
            double[] r = randomGroup(rnd);
            assertThat(Arrays.stream(Baselines.groupNormalized(r, true, 1e-6)).sum()).isCloseTo(0, within(1e-9));
            assertThat(Arrays.stream(Baselines.groupNormalized(r, false, 0)).sum()).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void groupNormalizedOfEqualRewardsIsZero() {
        assertThat(Baselines.groupNormalized(new double[] {1, 1, 1}, true, 1e-6)).containsOnly(0.0);
        assertThat(Baselines.groupNormalized(new double[] {1, 1, 1}, false, 1e-6)).containsOnly(0.0);
    }

    @Test
    void groupNormalizedHasUnitSampleStdWhenEpsilonIsNegligible() {
        double[] adv = Baselines.groupNormalized(new double[] {0.3, 1.7, -2, 4, 0}, true, 0);
        assertThat(GroupStats.std(adv)).isCloseTo(1, within(1e-12));
    }
}
