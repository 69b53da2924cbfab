package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Elementary functions of real {@link BigDecimal}s to {@value #DIGITS} significant digits, by range
 * reduction and Taylor series. apfloat computes the same to any precision but is built for thousands of
 * digits: at 36 digits its {@code sin} took ~4 ms here, these take tens of microseconds, which keeps a
 * precise check of a trigonometric answer within the verifier's latency target (see {@link BigComplex}).
 */
final class BigMath {

    static final int DIGITS = 40;
    static final MathContext MC = new MathContext(DIGITS + 10, RoundingMode.HALF_EVEN);
    static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494");
    static final BigDecimal E = new BigDecimal("2.71828182845904523536028747135266249775724709369995957496697");
    static final BigDecimal LN2 = new BigDecimal("0.69314718055994530941723212145817656807550013436025525412068");
    private static final BigDecimal TWO_PI = PI.multiply(BigDecimal.TWO);
    private static final BigDecimal HALF_PI = PI.divide(BigDecimal.TWO);
    private static final BigDecimal EPS = BigDecimal.ONE.movePointLeft(DIGITS + 8);
    /** Beyond this, exp overflows any answer a verifier should decide: the caller treats it as undefined. */
    private static final BigDecimal MAX_EXP = BigDecimal.valueOf(10_000);

    private BigMath() {}

    static BigDecimal sin(BigDecimal x) {
        BigDecimal r = reduce(x);
        return series(r, r, 1);
    }

    static BigDecimal cos(BigDecimal x) {
        return series(BigDecimal.ONE, reduce(x), 0);
    }

    /** Σ (-1)^k x^(2k+p) / (2k+p)!, from its first term */
    private static BigDecimal series(BigDecimal first, BigDecimal x, int p) {
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal term = first;
        BigDecimal sum = first;
        for (int n = p; term.abs().compareTo(EPS) > 0 && n < 1000; n += 2) {
            Deadline.check();
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((long) (n + 1) * (n + 2)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** x modulo 2π, into [-π, π] */
    private static BigDecimal reduce(BigDecimal x) {
        if (x.abs().compareTo(PI) <= 0) return x;
        if (x.abs().compareTo(BigDecimal.valueOf(1e12)) > 0) throw new ArithmeticException("argument too large to reduce");
        BigDecimal k = x.divide(TWO_PI, 0, RoundingMode.HALF_EVEN);
        return x.subtract(k.multiply(TWO_PI, MC), MC);
    }

    static BigDecimal exp(BigDecimal x) {
        if (x.abs().compareTo(MAX_EXP) > 0) throw new ArithmeticException("exp overflow");
        int halvings = 0;
        BigDecimal y = x;
        while (y.abs().compareTo(new BigDecimal("0.25")) > 0) {
            y = y.divide(BigDecimal.TWO, MC);
            halvings++;
        }
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(EPS) > 0 && n < 1000; n++) {
            Deadline.check();
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < halvings; i++) sum = sum.multiply(sum, MC);
        return sum;
    }

    /** natural log of x > 0: x = m·2^k with m in [0.75, 1.5], ln m = 2 atanh((m-1)/(m+1)) */
    static BigDecimal log(BigDecimal x) {
        if (x.signum() <= 0) throw new ArithmeticException("log of a non-positive number");
        int k = 0;
        BigDecimal m = x;
        BigDecimal hi = new BigDecimal("1.5");
        BigDecimal lo = new BigDecimal("0.75");
        while (m.compareTo(hi) > 0) {
            Deadline.check();
            m = m.divide(BigDecimal.TWO, MC);
            k++;
            if (k > 100_000) throw new ArithmeticException("log argument too large");
        }
        while (m.compareTo(lo) < 0) {
            Deadline.check();
            m = m.multiply(BigDecimal.TWO, MC);
            k--;
            if (k < -100_000) throw new ArithmeticException("log argument too small");
        }
        BigDecimal z = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int n = 3; power.abs().compareTo(EPS) > 0 && n < 10_000; n += 2) {
            Deadline.check();
            power = power.multiply(z2, MC);
            sum = sum.add(power.divide(BigDecimal.valueOf(n), MC), MC);
        }
        return sum.multiply(BigDecimal.TWO, MC).add(LN2.multiply(BigDecimal.valueOf(k), MC), MC);
    }

    static BigDecimal atan(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.ONE) > 0) {
            BigDecimal inner = atan(BigDecimal.ONE.divide(x, MC));
            return (x.signum() > 0 ? HALF_PI : HALF_PI.negate()).subtract(inner, MC);
        }
        // atan x = 2 atan(x / (1 + sqrt(1 + x²))), twice: |x| <= 0.2
        BigDecimal y = x;
        int doublings = 0;
        while (y.abs().compareTo(new BigDecimal("0.2")) > 0) {
            y = y.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(y.multiply(y, MC)).sqrt(MC)), MC);
            doublings++;
        }
        BigDecimal y2 = y.multiply(y, MC);
        BigDecimal power = y;
        BigDecimal sum = y;
        for (int n = 3; power.abs().compareTo(EPS) > 0 && n < 10_000; n += 2) {
            Deadline.check();
            power = power.multiply(y2, MC).negate();
            sum = sum.add(power.divide(BigDecimal.valueOf(n), MC), MC);
        }
        return sum.multiply(BigDecimal.valueOf(1L << doublings), MC);
    }

    /** the angle of (x, y) in (-π, π] */
    static BigDecimal atan2(BigDecimal y, BigDecimal x) {
        if (x.signum() > 0) return atan(y.divide(x, MC));
        if (x.signum() == 0) {
            if (y.signum() == 0) throw new ArithmeticException("atan2(0, 0)");
            return y.signum() > 0 ? HALF_PI : HALF_PI.negate();
        }
        BigDecimal a = atan(y.divide(x, MC));
        return y.signum() >= 0 ? a.add(PI, MC) : a.subtract(PI, MC);
    }

    static BigDecimal sinh(BigDecimal x) {
        return exp(x).subtract(exp(x.negate()), MC).divide(BigDecimal.TWO, MC);
    }

    static BigDecimal cosh(BigDecimal x) {
        return exp(x).add(exp(x.negate()), MC).divide(BigDecimal.TWO, MC);
    }

    static BigDecimal tanh(BigDecimal x) {
        BigDecimal e2 = exp(x.multiply(BigDecimal.TWO));
        return e2.subtract(BigDecimal.ONE).divide(e2.add(BigDecimal.ONE), MC);
    }

    /** asin x for |x| <= 1 */
    static BigDecimal asin(BigDecimal x) {
        BigDecimal c = BigDecimal.ONE.subtract(x.multiply(x, MC), MC);
        if (c.signum() == 0) return x.signum() > 0 ? HALF_PI : HALF_PI.negate();
        return atan(x.divide(c.sqrt(MC), MC));
    }
}
