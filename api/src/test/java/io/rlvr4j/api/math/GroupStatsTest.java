package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroupStatsTest {

    @Test
    void meanIsTheArithmeticMean() {
        assertThat(GroupStats.mean(new double[] {1, 2, 3, 6})).isEqualTo(3.0);
    }

    @Test
    void meanOfAnEmptyGroupIsZero() {
        assertThat(GroupStats.mean(new double[0])).isZero();
    }

    @Test
    void stdUsesBesselsCorrection() {
        // sum of squared deviations of {1,2,3,4} is 5; divided by n - 1 = 3
        assertThat(GroupStats.std(new double[] {1, 2, 3, 4})).isCloseTo(Math.sqrt(5.0 / 3), within(1e-15));
    }

    @Test
    void stdOfFewerThanTwoValuesIsZero() {
        assertThat(GroupStats.std(new double[0])).isZero();
        assertThat(GroupStats.std(new double[] {7})).isZero();
    }

    @Test
    void stdOfEqualValuesIsZero() {
        assertThat(GroupStats.std(new double[] {0.5, 0.5, 0.5})).isZero();
    }

    @Test
    void allEqualDetectsGroupsWithoutSignal() {
        assertThat(GroupStats.allEqual(new double[] {1, 1, 1})).isTrue();
        assertThat(GroupStats.allEqual(new double[] {1, 1, 0})).isFalse();
        assertThat(GroupStats.allEqual(new double[] {3})).isTrue();
        assertThat(GroupStats.allEqual(new double[0])).isTrue();
    }
}
