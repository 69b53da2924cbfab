package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The 50-digit complex numbers of the precise check, against closed forms and against the double {@link Complex}. */
class BigComplexTest {

    private static final BigMath M = BigMath.STANDARD;

    private static BigComplex c(double re, double im) {
        return new BigComplex(new BigDecimal(re), new BigDecimal(im));
    }

    private static void assertClose(BigComplex actual, double re, double im, double tolerance) {
        assertThat(actual.re().doubleValue()).as("re of %s", actual).isCloseTo(re, org.assertj.core.data.Offset.offset(tolerance));
        assertThat(actual.im().doubleValue()).as("im of %s", actual).isCloseTo(im, org.assertj.core.data.Offset.offset(tolerance));
    }

    /** |x - y| below 10^-digits, to the full precision */
    private static void assertExactly(BigComplex x, BigComplex y, int digits) {
        assertThat(x.subtract(y, M).abs(M)).as("%s vs %s", x, y).isLessThan(BigDecimal.ONE.movePointLeft(digits));
    }

    @Test
    void closedFormsHoldToFortyDigits() {
        BigComplex pi = BigComplex.real(M.pi);
        assertExactly(BigComplex.I.multiply(pi, M).exp(M), BigComplex.real(BigDecimal.ONE.negate()), 40); // e^{iπ} = -1
        assertExactly(BigComplex.real(BigDecimal.valueOf(-4)).sqrt(M), new BigComplex(BigDecimal.ZERO, BigDecimal.TWO), 40);
        assertExactly(BigComplex.real(BigDecimal.ONE.negate()).log(M), new BigComplex(BigDecimal.ZERO, M.pi), 40); // log(-1) = iπ
        // i^i = e^{-π/2}
        assertExactly(BigComplex.I.pow(BigComplex.I, M), BigComplex.real(M.exp(M.pi.divide(BigDecimal.TWO).negate())), 40);
        // sin²z + cos²z = 1 off the real axis
        BigComplex z = c(0.7, -1.3);
        assertExactly(z.sin(M).pow(2, M).add(z.cos(M).pow(2, M), M), BigComplex.ONE, 40);
        // (1+i)^8 = 16, by repeated squaring
        assertExactly(c(1, 1).pow(8, M), BigComplex.real(BigDecimal.valueOf(16)), 45);
        assertExactly(c(2, 0).pow(-3, M), BigComplex.real(new BigDecimal("0.125")), 45);
    }

    @Test
    void principalBranchesAsInTheDoubleEvaluator() {
        assertClose(c(-8, 0).pow(BigComplex.rational(Rational.of(java.math.BigInteger.ONE, java.math.BigInteger.valueOf(3)), M), M),
                1, Math.sqrt(3), 1e-12); // (-8)^{1/3} = 1 + i√3, not -2
        assertClose(c(-1, -1e-30).sqrt(M), 0, -1, 1e-12);
        assertClose(c(-1, 0).sqrt(M), 0, 1, 1e-12);
    }

    @Test
    void agreesWithTheDoubleComplexAtRandomPoints() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double a = r.nextDouble(-3, 3);
            double b = r.nextDouble(-3, 3);
            double x = r.nextDouble(-2, 2);
            double y = r.nextDouble(-2, 2);
            Complex d = new Complex(a, b);
            Complex e = new Complex(x, y);
            BigComplex bd = c(a, b);
            BigComplex be = c(x, y);
            check(d, bd, Complex::exp, z -> z.exp(M));
            check(d, bd, Complex::log, z -> z.log(M));
            check(d, bd, Complex::sqrt, z -> z.sqrt(M));
            check(d, bd, Complex::sin, z -> z.sin(M));
            check(d, bd, Complex::cos, z -> z.cos(M));
            check2(d, e, bd, be, Complex::pow, (z, w) -> z.pow(w, M));
            check2(d, e, bd, be, Complex::divide, (z, w) -> z.divide(w, M));
            check2(d, e, bd, be, Complex::multiply, (z, w) -> z.multiply(w, M));
        }
    }

    private static void check(Complex d, BigComplex b, Function<Complex, Complex> f, Function<BigComplex, BigComplex> g) {
        Complex want = f.apply(d);
        assertClose(g.apply(b), want.re(), want.im(), 1e-9 * Math.max(1, want.abs()));
    }

    private static void check2(Complex d, Complex e, BigComplex bd, BigComplex be, BiFunction<Complex, Complex, Complex> f,
                               BiFunction<BigComplex, BigComplex, BigComplex> g) {
        Complex want = f.apply(d, e);
        assertClose(g.apply(bd, be), want.re(), want.im(), 1e-9 * Math.max(1, want.abs()));
    }

    @Test
    void undefinedValuesThrow() {
        assertThatThrownBy(() -> BigComplex.ZERO.log(M)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> BigComplex.ONE.divide(BigComplex.ZERO, M)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> BigComplex.ZERO.pow(BigComplex.real(BigDecimal.ONE.negate()), M)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> c(2.5, 0).factorial(1000, M)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> c(1001, 0).factorial(1000, M)).isInstanceOf(ArithmeticException.class);
        assertThat(c(20, 0).factorial(1000, M).re()).isEqualByComparingTo("2432902008176640000");
        assertThatThrownBy(() -> BigComplex.real(BigDecimal.valueOf(20_000)).exp(M)).isInstanceOf(ArithmeticException.class);
    }
}
