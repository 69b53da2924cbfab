package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class PassAtKTest {

    private static BigInteger binomial(int n, int k) {
        if (k < 0 || k > n) return BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            b = b.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return b;
    }

    /** 1 - C(n - c, k) / C(n, k), exactly, then rounded to a double. */
    private static double exact(int n, int c, int k) {
        BigDecimal fail = new BigDecimal(binomial(n - c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL128);
        return BigDecimal.ONE.subtract(fail).doubleValue();
    }

    @Test
    void matchesTheExactBinomialFormula() {
        for (int n = 1; n <= 40; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    assertThat(PassAtK.estimate(n, c, k)).as("n=%d c=%d k=%d", n, c, k).isCloseTo(exact(n, c, k), within(1e-12));
                }
            }
        }
    }

    @Test
    void doesNotOverflowForTwoHundredSamples() {
        int n = 200;
        for (int c = 1; c <= n; c++) {
            for (int k : new int[] {1, 2, 5, 10, 50, 100, 150, 200}) {
                double p = PassAtK.estimate(n, c, k);
                assertThat(p).as("n=%d c=%d k=%d", n, c, k).isBetween(0.0, 1.0).isCloseTo(exact(n, c, k), within(1e-12));
            }
        }
    }

    @Test
    void passAtOneIsTheFractionCorrect() {
        assertThat(PassAtK.estimate(16, 5, 1)).isCloseTo(5.0 / 16, within(1e-15));
    }

    @Test
    void noCorrectSampleGivesZero() {
        assertThat(PassAtK.estimate(10, 0, 1)).isZero();
        assertThat(PassAtK.estimate(10, 0, 10)).isZero();
    }

    @Test
    void fewerWrongSamplesThanKGivesOne() {
        assertThat(PassAtK.estimate(10, 8, 3)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(10, 10, 1)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(5, 1, 5)).isEqualTo(1.0);
    }

    @Test
    void rejectsImpossibleArguments() {
        assertThatThrownBy(() -> PassAtK.estimate(10, -1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c = -1");
        assertThatThrownBy(() -> PassAtK.estimate(10, 11, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c = 11");
        assertThatThrownBy(() -> PassAtK.estimate(10, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 0");
        assertThatThrownBy(() -> PassAtK.estimate(10, 1, 11)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 11");
    }
}
