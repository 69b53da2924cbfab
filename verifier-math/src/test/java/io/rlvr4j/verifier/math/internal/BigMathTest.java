package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BigMathTest {

    private static void agreesWithMath(UnaryOperator<BigDecimal> big, DoubleUnaryOperator math, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            double x = lo + (hi - lo) * r.nextDouble();
            double expected = math.applyAsDouble(x);
            assertThat(big.apply(new BigDecimal(x)).doubleValue()).as("at %s", x).isCloseTo(expected, within(1e-13 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void agreesWithDoublePrecisionEverywhere() {
        agreesWithMath(BigMath::sin, Math::sin, -100, 100);
        agreesWithMath(BigMath::cos, Math::cos, -100, 100);
        agreesWithMath(BigMath::exp, Math::exp, -30, 30);
        agreesWithMath(BigMath::log, Math::log, 1e-6, 1e6);
        agreesWithMath(BigMath::atan, Math::atan, -50, 50);
        agreesWithMath(BigMath::asin, Math::asin, -1, 1);
    }

    @Test
    void isPreciseFarBeyondDoubles() {
        // sin(π/6) = 1/2 and ln(e^3) = 3 to 35 digits, where doubles stop at 16
        BigDecimal sixth = BigMath.PI.divide(BigDecimal.valueOf(6), BigMath.MC);
        assertThat(BigMath.sin(sixth).subtract(new BigDecimal("0.5")).abs()).isLessThan(new BigDecimal("1e-35"));
        assertThat(BigMath.log(BigMath.exp(BigDecimal.valueOf(3))).subtract(BigDecimal.valueOf(3)).abs()).isLessThan(new BigDecimal("1e-35"));
        assertThat(BigMath.atan(BigDecimal.ONE).multiply(BigDecimal.valueOf(4)).subtract(BigMath.PI).abs()).isLessThan(new BigDecimal("1e-35"));
    }
}
