package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A complex number of {@link BigDecimal}s: the values of {@link PreciseCheck}, each operation rounded to
 * the precision of the {@link BigMath} it is given.
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

    static BigComplex rational(Rational q, BigMath m) {
        return real(new BigDecimal(q.num()).divide(new BigDecimal(q.den()), m.mc));
    }

    boolean isReal() {
        return im.signum() == 0;
    }

    boolean isZero() {
        return re.signum() == 0 && im.signum() == 0;
    }

    BigDecimal abs(BigMath m) {
        if (isReal()) return re.abs();
        return re.multiply(re, m.mc).add(im.multiply(im, m.mc), m.mc).sqrt(m.mc);
    }

    BigComplex negate() {
        return new BigComplex(re.negate(), im.negate());
    }

    BigComplex add(BigComplex o, BigMath m) {
        return new BigComplex(re.add(o.re, m.mc), im.add(o.im, m.mc));
    }

    BigComplex subtract(BigComplex o, BigMath m) {
        return new BigComplex(re.subtract(o.re, m.mc), im.subtract(o.im, m.mc));
    }

    BigComplex multiply(BigComplex o, BigMath m) {
        if (isReal() && o.isReal()) return real(re.multiply(o.re, m.mc));
        return new BigComplex(re.multiply(o.re, m.mc).subtract(im.multiply(o.im, m.mc), m.mc),
                re.multiply(o.im, m.mc).add(im.multiply(o.re, m.mc), m.mc));
    }

    BigComplex divide(BigComplex o, BigMath m) {
        if (o.isZero()) throw new ArithmeticException("division by zero");
        if (o.isReal()) return new BigComplex(re.divide(o.re, m.mc), im.divide(o.re, m.mc));
        BigDecimal d = o.re.multiply(o.re, m.mc).add(o.im.multiply(o.im, m.mc), m.mc);
        BigDecimal r = re.multiply(o.re, m.mc).add(im.multiply(o.im, m.mc), m.mc);
        BigDecimal i = im.multiply(o.re, m.mc).subtract(re.multiply(o.im, m.mc), m.mc);
        return new BigComplex(r.divide(d, m.mc), i.divide(d, m.mc));
    }

    /** this^n by repeated squaring: exact up to rounding, and defined for negative bases */
    BigComplex pow(long n, BigMath m) {
        if (n < 0) return ONE.divide(pow(-n, m), m);
        BigComplex result = ONE;
        BigComplex square = this;
        for (long k = n; k > 0; k >>= 1) {
            if ((k & 1) == 1) result = result.multiply(square, m);
            if (k > 1) square = square.multiply(square, m);
        }
        return result;
    }

    /** The principal value of this^w. */
    BigComplex pow(BigComplex w, BigMath m) {
        if (w.isReal() && w.re.stripTrailingZeros().scale() <= 0 && w.re.abs().compareTo(BigDecimal.valueOf(MAX_INTEGER_POWER)) <= 0) {
            return pow(w.re.longValueExact(), m);
        }
        if (isZero()) {
            if (w.isReal() && w.re.signum() > 0) return ZERO;
            throw new ArithmeticException("0 to a non-positive power");
        }
        if (isReal() && re.signum() > 0 && w.isReal()) return real(m.exp(w.re.multiply(m.log(re), m.mc)));
        return w.multiply(log(m), m).exp(m);
    }

    BigComplex exp(BigMath m) {
        BigDecimal r = m.exp(re);
        if (isReal()) return real(r);
        return new BigComplex(r.multiply(m.cos(im), m.mc), r.multiply(m.sin(im), m.mc));
    }

    /** The principal logarithm: ln|z| + i arg z, arg in (-π, π]. */
    BigComplex log(BigMath m) {
        if (isZero()) throw new ArithmeticException("log of zero");
        if (isReal() && re.signum() > 0) return real(m.log(re));
        return new BigComplex(m.log(abs(m)), m.atan2(im, re));
    }

    /** The principal square root, with a non-negative real part. */
    BigComplex sqrt(BigMath m) {
        if (isReal()) {
            return re.signum() >= 0 ? real(re.sqrt(m.mc)) : new BigComplex(BigDecimal.ZERO, re.negate().sqrt(m.mc));
        }
        BigDecimal r = abs(m);
        BigDecimal two = BigDecimal.TWO;
        BigDecimal a = r.add(re, m.mc).divide(two, m.mc).sqrt(m.mc);
        BigDecimal b = r.subtract(re, m.mc).divide(two, m.mc).sqrt(m.mc);
        return new BigComplex(a, im.signum() < 0 ? b.negate() : b);
    }

    BigComplex sin(BigMath m) {
        if (isReal()) return real(m.sin(re));
        return new BigComplex(m.sin(re).multiply(m.cosh(im), m.mc), m.cos(re).multiply(m.sinh(im), m.mc));
    }

    BigComplex cos(BigMath m) {
        if (isReal()) return real(m.cos(re));
        return new BigComplex(m.cos(re).multiply(m.cosh(im), m.mc),
                m.sin(re).multiply(m.sinh(im), m.mc).negate());
    }

    /** n! for an integer 0 <= n <= {@code max}; undefined otherwise, as in the double evaluator */
    BigComplex factorial(int max, BigMath m) {
        if (!isReal() || re.signum() < 0 || re.stripTrailingZeros().scale() > 0 || re.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ArithmeticException("factorial of " + this + ": only of integers 0 to " + max);
        }
        BigInteger f = BigInteger.ONE;
        for (int k = 2; k <= re.intValueExact(); k++) f = f.multiply(BigInteger.valueOf(k));
        return real(new BigDecimal(f, m.mc));
    }

    /** {@return the real part of a real number} @throws ArithmeticException if it is not real */
    BigDecimal realValue() {
        if (!isReal()) throw new ArithmeticException("not real: " + this);
        return re;
    }
}
