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

    private static BigComplex c(double re, double im) {
        return new BigComplex(new BigDecimal(re), new BigDecimal(im));
    }

    private static void assertClose(BigComplex actual, double re, double im, double tolerance) {
        assertThat(actual.re().doubleValue()).as("re of %s", actual).isCloseTo(re, org.assertj.core.data.Offset.offset(tolerance));
        assertThat(actual.im().doubleValue()).as("im of %s", actual).isCloseTo(im, org.assertj.core.data.Offset.offset(tolerance));
    }

    /** |x - y| below 10^-digits, to the full precision */
    private static void assertExactly(BigComplex x, BigComplex y, int digits) {
        assertThat(x.subtract(y).abs()).as("%s vs %s", x, y).isLessThan(BigDecimal.ONE.movePointLeft(digits));
    }

    @Test
    void closedFormsHoldToFortyDigits() {
        BigComplex pi = BigComplex.real(BigMath.PI);
        assertExactly(BigComplex.I.multiply(pi).exp(), BigComplex.real(BigDecimal.ONE.negate()), 40); // e^{iπ} = -1
        assertExactly(BigComplex.real(BigDecimal.valueOf(-4)).sqrt(), new BigComplex(BigDecimal.ZERO, BigDecimal.TWO), 40);
        assertExactly(BigComplex.real(BigDecimal.ONE.negate()).log(), new BigComplex(BigDecimal.ZERO, BigMath.PI), 40); // log(-1) = iπ
        // i^i = e^{-π/2}
        assertExactly(BigComplex.I.pow(BigComplex.I), BigComplex.real(BigMath.exp(BigMath.PI.divide(BigDecimal.TWO).negate())), 40);
        // sin²z + cos²z = 1 off the real axis
        BigComplex z = c(0.7, -1.3);
        assertExactly(z.sin().pow(2).add(z.cos().pow(2)), BigComplex.ONE, 40);
        // (1+i)^8 = 16, by repeated squaring
        assertExactly(c(1, 1).pow(8), BigComplex.real(BigDecimal.valueOf(16)), 45);
        assertExactly(c(2, 0).pow(-3), BigComplex.real(new BigDecimal("0.125")), 45);
    }

    @Test
    void principalBranchesAsInTheDoubleEvaluator() {
        assertClose(c(-8, 0).pow(BigComplex.rational(Rational.of(java.math.BigInteger.ONE, java.math.BigInteger.valueOf(3)))),
                1, Math.sqrt(3), 1e-12); // (-8)^{1/3} = 1 + i√3, not -2
        assertClose(c(-1, -1e-30).sqrt(), 0, -1, 1e-12);
        assertClose(c(-1, 0).sqrt(), 0, 1, 1e-12);
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
            check(d, bd, Complex::exp, BigComplex::exp);
            check(d, bd, Complex::log, BigComplex::log);
            check(d, bd, Complex::sqrt, BigComplex::sqrt);
            check(d, bd, Complex::sin, BigComplex::sin);
            check(d, bd, Complex::cos, BigComplex::cos);
            check2(d, e, bd, be, Complex::pow, BigComplex::pow);
            check2(d, e, bd, be, Complex::divide, BigComplex::divide);
            check2(d, e, bd, be, Complex::multiply, BigComplex::multiply);
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
        assertThatThrownBy(() -> BigComplex.ZERO.log()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> BigComplex.ONE.divide(BigComplex.ZERO)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> BigComplex.ZERO.pow(BigComplex.real(BigDecimal.ONE.negate()))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> c(2.5, 0).factorial(1000)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> c(1001, 0).factorial(1000)).isInstanceOf(ArithmeticException.class);
        assertThat(c(20, 0).factorial(1000).re()).isEqualByComparingTo("2432902008176640000");
        assertThatThrownBy(() -> BigComplex.real(BigDecimal.valueOf(20_000)).exp()).isInstanceOf(ArithmeticException.class);
    }
}
