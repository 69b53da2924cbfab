package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A complex number of {@link BigDecimal}s rounded to {@link BigMath#MC}: the values of {@link PreciseCheck}.
 * Principal branches, as {@link Complex} (its double counterpart) and every CAS use. Where a value is
 * undefined (a pole, a logarithm of zero, an overflow) the operation throws {@link ArithmeticException}.
 */
record BigComplex(BigDecimal re, BigDecimal im) {

    static final BigComplex ZERO = real(BigDecimal.ZERO);
    static final BigComplex ONE = real(BigDecimal.ONE);
    static final BigComplex I = new BigComplex(BigDecimal.ZERO, BigDecimal.ONE);
    /** Beyond this an integer power is taken as exp(y log x): repeated squaring of a 10^6-bit exponent would not end. */
    private static final long MAX_INTEGER_POWER = 10_000;

    static BigComplex real(BigDecimal x) {
        return new BigComplex(x, BigDecimal.ZERO);
    }

    static BigComplex rational(Rational q) {
        return real(new BigDecimal(q.num()).divide(new BigDecimal(q.den()), BigMath.MC));
    }

    boolean isReal() {
        return im.signum() == 0;
    }

    boolean isZero() {
        return re.signum() == 0 && im.signum() == 0;
    }

    BigDecimal abs() {
        if (isReal()) return re.abs();
        return re.multiply(re, BigMath.MC).add(im.multiply(im, BigMath.MC), BigMath.MC).sqrt(BigMath.MC);
    }

    BigComplex negate() {
        return new BigComplex(re.negate(), im.negate());
    }

    BigComplex add(BigComplex o) {
        return new BigComplex(re.add(o.re, BigMath.MC), im.add(o.im, BigMath.MC));
    }

    BigComplex subtract(BigComplex o) {
        return new BigComplex(re.subtract(o.re, BigMath.MC), im.subtract(o.im, BigMath.MC));
    }

    BigComplex multiply(BigComplex o) {
        if (isReal() && o.isReal()) return real(re.multiply(o.re, BigMath.MC));
        return new BigComplex(re.multiply(o.re, BigMath.MC).subtract(im.multiply(o.im, BigMath.MC), BigMath.MC),
                re.multiply(o.im, BigMath.MC).add(im.multiply(o.re, BigMath.MC), BigMath.MC));
    }

    BigComplex divide(BigComplex o) {
        if (o.isZero()) throw new ArithmeticException("division by zero");
        if (o.isReal()) return new BigComplex(re.divide(o.re, BigMath.MC), im.divide(o.re, BigMath.MC));
        BigDecimal d = o.re.multiply(o.re, BigMath.MC).add(o.im.multiply(o.im, BigMath.MC), BigMath.MC);
        BigDecimal r = re.multiply(o.re, BigMath.MC).add(im.multiply(o.im, BigMath.MC), BigMath.MC);
        BigDecimal i = im.multiply(o.re, BigMath.MC).subtract(re.multiply(o.im, BigMath.MC), BigMath.MC);
        return new BigComplex(r.divide(d, BigMath.MC), i.divide(d, BigMath.MC));
    }

    /** this^n by repeated squaring: exact up to rounding, and defined for negative bases */
    BigComplex pow(long n) {
        if (n < 0) return ONE.divide(pow(-n));
        BigComplex result = ONE;
        BigComplex square = this;
        for (long k = n; k > 0; k >>= 1) {
            if ((k & 1) == 1) result = result.multiply(square);
            if (k > 1) square = square.multiply(square);
        }
        return result;
    }

    /** The principal value of this^w. */
    BigComplex pow(BigComplex w) {
        if (w.isReal() && w.re.stripTrailingZeros().scale() <= 0 && w.re.abs().compareTo(BigDecimal.valueOf(MAX_INTEGER_POWER)) <= 0) {
            return pow(w.re.longValueExact());
        }
        if (isZero()) {
            if (w.isReal() && w.re.signum() > 0) return ZERO;
            throw new ArithmeticException("0 to a non-positive power");
        }
        if (isReal() && re.signum() > 0 && w.isReal()) return real(BigMath.exp(w.re.multiply(BigMath.log(re), BigMath.MC)));
        return w.multiply(log()).exp();
    }

    BigComplex exp() {
        BigDecimal m = BigMath.exp(re);
        if (isReal()) return real(m);
        return new BigComplex(m.multiply(BigMath.cos(im), BigMath.MC), m.multiply(BigMath.sin(im), BigMath.MC));
    }

    /** The principal logarithm: ln|z| + i arg z, arg in (-π, π]. */
    BigComplex log() {
        if (isZero()) throw new ArithmeticException("log of zero");
        if (isReal() && re.signum() > 0) return real(BigMath.log(re));
        return new BigComplex(BigMath.log(abs()), BigMath.atan2(im, re));
    }

    /** The principal square root, with a non-negative real part. */
    BigComplex sqrt() {
        if (isReal()) {
            return re.signum() >= 0 ? real(re.sqrt(BigMath.MC)) : new BigComplex(BigDecimal.ZERO, re.negate().sqrt(BigMath.MC));
        }
        BigDecimal r = abs();
        BigDecimal two = BigDecimal.TWO;
        BigDecimal a = r.add(re, BigMath.MC).divide(two, BigMath.MC).sqrt(BigMath.MC);
        BigDecimal b = r.subtract(re, BigMath.MC).divide(two, BigMath.MC).sqrt(BigMath.MC);
        return new BigComplex(a, im.signum() < 0 ? b.negate() : b);
    }

    BigComplex sin() {
        if (isReal()) return real(BigMath.sin(re));
        return new BigComplex(BigMath.sin(re).multiply(BigMath.cosh(im), BigMath.MC), BigMath.cos(re).multiply(BigMath.sinh(im), BigMath.MC));
    }

    BigComplex cos() {
        if (isReal()) return real(BigMath.cos(re));
        return new BigComplex(BigMath.cos(re).multiply(BigMath.cosh(im), BigMath.MC),
                BigMath.sin(re).multiply(BigMath.sinh(im), BigMath.MC).negate());
    }

    /** n! for an integer 0 <= n <= {@code max}; undefined otherwise, as in the double evaluator */
    BigComplex factorial(int max) {
        if (!isReal() || re.signum() < 0 || re.stripTrailingZeros().scale() > 0 || re.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ArithmeticException("factorial of " + this + ": only of integers 0 to " + max);
        }
        BigInteger f = BigInteger.ONE;
        for (int k = 2; k <= re.intValueExact(); k++) f = f.multiply(BigInteger.valueOf(k));
        return real(new BigDecimal(f, BigMath.MC));
    }

    /** {@return the real part of a real number} @throws ArithmeticException if it is not real */
    BigDecimal realValue() {
        if (!isReal()) throw new ArithmeticException("not real: " + this);
        return re;
    }
}
