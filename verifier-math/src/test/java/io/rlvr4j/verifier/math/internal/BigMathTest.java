package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BigMathTest {

    private static final BigMath M = BigMath.STANDARD;

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
        agreesWithMath(M::sin, Math::sin, -100, 100);
        agreesWithMath(M::cos, Math::cos, -100, 100);
        agreesWithMath(M::exp, Math::exp, -30, 30);
        agreesWithMath(M::log, Math::log, 1e-6, 1e6);
        agreesWithMath(M::log, Math::log, 1e-300, 1e300);
        agreesWithMath(M::atan, Math::atan, -50, 50);
        agreesWithMath(M::asin, Math::asin, -1, 1);
        agreesWithMath(M::tanh, Math::tanh, -5, 5);
    }

    @Test
    void isPreciseFarBeyondDoubles() {
        // sin(π/6) = 1/2 and ln(e^3) = 3 to 45 digits, where doubles stop at 16
        BigDecimal sixth = M.pi.divide(BigDecimal.valueOf(6), M.mc);
        assertThat(M.sin(sixth).subtract(new BigDecimal("0.5")).abs()).isLessThan(new BigDecimal("1e-45"));
        assertThat(M.log(M.exp(BigDecimal.valueOf(3))).subtract(BigDecimal.valueOf(3)).abs()).isLessThan(new BigDecimal("1e-45"));
        assertThat(M.atan(BigDecimal.ONE).multiply(BigDecimal.valueOf(4)).subtract(M.pi).abs()).isLessThan(new BigDecimal("1e-45"));
        assertThat(M.exp(BigDecimal.ONE).subtract(M.e).abs()).as("the literal e").isLessThan(new BigDecimal("1e-45"));
    }

    @Test
    void morePrecisionComputesItsOwnConstants() {
        BigMath m = BigMath.of(240);
        assertThat(m.digits()).isEqualTo(250);
        assertThat(BigMath.of(240)).as("kept").isSameAs(m);
        assertThat(BigMath.of(50)).isSameAs(BigMath.STANDARD);
        // the first 60 digits agree with the literals, and the identities hold to 240 digits
        assertThat(m.pi.subtract(M.pi).abs()).isLessThan(new BigDecimal("1e-58"));
        assertThat(m.e.subtract(M.e).abs()).isLessThan(new BigDecimal("1e-58"));
        assertThat(m.sin(m.pi.divide(BigDecimal.valueOf(6), m.mc)).subtract(new BigDecimal("0.5")).abs()).isLessThan(BigDecimal.ONE.movePointLeft(240));
        assertThat(m.log(m.exp(BigDecimal.valueOf(7))).subtract(BigDecimal.valueOf(7)).abs()).isLessThan(BigDecimal.ONE.movePointLeft(240));
        assertThat(m.log(BigDecimal.TWO.pow(1000)).subtract(m.log(BigDecimal.TWO).multiply(BigDecimal.valueOf(1000))).abs())
                .isLessThan(BigDecimal.ONE.movePointLeft(230));
        assertThatThrownBy(() -> BigMath.of(BigMath.MAX_DIGITS + 1)).isInstanceOf(ArithmeticException.class);
    }
}
