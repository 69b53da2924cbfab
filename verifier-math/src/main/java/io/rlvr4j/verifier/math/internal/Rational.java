package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact rational number, always reduced with a positive denominator. Operations that would grow
 * past {@value #MAX_BITS} bits throw {@link ArithmeticException}, which the evaluator turns into
 * "not exact": a hostile answer such as {@code 10^{10^{10}}} costs microseconds, not minutes.
 */
record Rational(BigInteger num, BigInteger den) implements Comparable<Rational> {

    /** The largest numerator or denominator kept exact. */
    static final int MAX_BITS = 4096;

    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    Rational {
        if (den.signum() == 0) throw new ArithmeticException("zero denominator");
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
        if (num.signum() == 0) den = BigInteger.ONE;
        if (num.bitLength() > MAX_BITS || den.bitLength() > MAX_BITS) throw new ArithmeticException("too large to keep exact");
    }

    static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    static Rational of(BigInteger n, BigInteger d) {
        return new Rational(n, d);
    }

    /** {@return the exact value of a decimal literal such as {@code 12.50}} */
    static Rational ofDecimal(String digits) {
        BigDecimal d = new BigDecimal(digits);
        return d.scale() <= 0 ? new Rational(d.toBigIntegerExact(), BigInteger.ONE)
                : new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    Rational add(Rational o) {
        return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational subtract(Rational o) {
        return add(o.negate());
    }

    Rational multiply(Rational o) {
        return new Rational(num.multiply(o.num), den.multiply(o.den));
    }

    Rational divide(Rational o) {
        return new Rational(num.multiply(o.den), den.multiply(o.num));
    }

    Rational negate() {
        return new Rational(num.negate(), den);
    }

    /** {@return this to an integer power}, exact; throws when the result would be too large */
    Rational pow(int e) {
        if (e < 0) return ONE.divide(pow(-e));
        long bits = (long) Math.max(num.bitLength(), den.bitLength()) * e;
        if (bits > MAX_BITS) throw new ArithmeticException("power too large to keep exact");
        return new Rational(num.pow(e), den.pow(e));
    }

    boolean isInteger() {
        return den.equals(BigInteger.ONE);
    }

    int signum() {
        return num.signum();
    }

    double toDouble() {
        double d = num.doubleValue() / den.doubleValue();
        if (Double.isFinite(d) && !(d == 0 && num.signum() != 0)) return d;
        return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue();
    }

    @Override
    public int compareTo(Rational o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public String toString() {
        return isInteger() ? num.toString() : num + "/" + den;
    }
}
