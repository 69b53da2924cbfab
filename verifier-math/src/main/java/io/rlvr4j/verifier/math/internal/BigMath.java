package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Elementary functions of real {@link BigDecimal}s to a fixed number of significant digits, by range
 * reduction and Taylor series. {@link #STANDARD} works to {@value #STANDARD_DIGITS} digits; {@link #of}
 * gives more, for values so large that 50 digits cannot tell {@code x} from {@code x + 1}. apfloat
 * computes the same to any precision but is built for thousands of digits: at 36 digits its {@code sin}
 * took ~4 ms here, these take tens of microseconds, which keeps a precise check of a trigonometric
 * answer within the verifier's latency target (see {@link BigComplex}).
 */
final class BigMath {

    static final int STANDARD_DIGITS = 50;
    /** More digits than this are not worth their time: answers that large are compared no further. */
    static final int MAX_DIGITS = 2_000;
    /** π, e and ln 2 to 60 digits: the standard precision needs them as literals (computing them in a static initialiser would run {@link Deadline} checks). */
    static final BigMath STANDARD = new BigMath(STANDARD_DIGITS,
            new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494"),
            new BigDecimal("2.71828182845904523536028747135266249775724709369995957496697"),
            new BigDecimal("0.69314718055994530941723212145817656807550013436025525412068"));
    private static final ConcurrentHashMap<Integer, BigMath> MORE = new ConcurrentHashMap<>();
    /** Beyond this, exp overflows any answer a verifier should decide: the caller treats it as undefined. */
    private static final BigDecimal MAX_EXP = BigDecimal.valueOf(10_000);
    private static final BigDecimal QUARTER = new BigDecimal("0.25");

    final MathContext mc;
    final BigDecimal pi;
    final BigDecimal e;
    private final BigDecimal ln2;
    private final BigDecimal halfPi;
    private final BigDecimal twoPi;
    /** Series stop when a term falls below this. */
    private final BigDecimal eps;

    private BigMath(int digits, BigDecimal pi, BigDecimal e, BigDecimal ln2) {
        this.mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        this.eps = BigDecimal.ONE.movePointLeft(digits - 2);
        this.pi = pi;
        this.e = e;
        this.ln2 = ln2;
        this.halfPi = pi == null ? null : pi.divide(BigDecimal.TWO, mc);
        this.twoPi = pi == null ? null : pi.multiply(BigDecimal.TWO, mc);
    }

    /**
     * {@return functions to at least {@code digits} significant digits} (rounded up to a multiple of 50,
     * constants computed once and kept) @throws ArithmeticException above {@value #MAX_DIGITS}
     */
    static BigMath of(int digits) {
        if (digits <= STANDARD_DIGITS) return STANDARD;
        if (digits > MAX_DIGITS) throw new ArithmeticException("more than " + MAX_DIGITS + " digits needed");
        return MORE.computeIfAbsent((digits + 49) / 50 * 50, BigMath::withConstants);
    }

    /** π by Machin's formula, e by its series, ln 2 = 2 atanh(1/3): none of them needs a constant. */
    private static BigMath withConstants(int digits) {
        BigMath bare = new BigMath(digits + 10, null, null, null);
        BigDecimal pi = bare.atanSmall(BigDecimal.ONE.divide(BigDecimal.valueOf(5), bare.mc)).multiply(BigDecimal.valueOf(16), bare.mc)
                .subtract(bare.atanSmall(BigDecimal.ONE.divide(BigDecimal.valueOf(239), bare.mc)).multiply(BigDecimal.valueOf(4), bare.mc), bare.mc);
        BigDecimal e = bare.exp(BigDecimal.ONE);
        BigDecimal ln2 = bare.atanhSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(3), bare.mc)).multiply(BigDecimal.TWO, bare.mc);
        return new BigMath(digits, pi, e, ln2);
    }

    int digits() {
        return mc.getPrecision();
    }

    BigDecimal sin(BigDecimal x) {
        BigDecimal r = reduce(x);
        return series(r, r, 1);
    }

    BigDecimal cos(BigDecimal x) {
        return series(BigDecimal.ONE, reduce(x), 0);
    }

    /** Σ (-1)^k x^(2k+p) / (2k+p)!, from its first term */
    private BigDecimal series(BigDecimal first, BigDecimal x, int p) {
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal term = first;
        BigDecimal sum = first;
        for (int n = p; term.abs().compareTo(eps) > 0 && n < 10_000; n += 2) {
            Deadline.check();
            term = term.multiply(x2, mc).divide(BigDecimal.valueOf((long) (n + 1) * (n + 2)), mc).negate();
            sum = sum.add(term, mc);
        }
        return sum;
    }

    /** x modulo 2π, into [-π, π] */
    private BigDecimal reduce(BigDecimal x) {
        if (x.abs().compareTo(pi) <= 0) return x;
        if (x.abs().compareTo(BigDecimal.valueOf(1e12)) > 0) throw new ArithmeticException("argument too large to reduce");
        BigDecimal k = x.divide(twoPi, 0, RoundingMode.HALF_EVEN);
        return x.subtract(k.multiply(twoPi, mc), mc);
    }

    BigDecimal exp(BigDecimal x) {
        if (x.abs().compareTo(MAX_EXP) > 0) throw new ArithmeticException("exp overflow");
        int halvings = 0;
        BigDecimal y = x;
        while (y.abs().compareTo(QUARTER) > 0) {
            y = y.divide(BigDecimal.TWO, mc);
            halvings++;
        }
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(eps) > 0 && n < 10_000; n++) {
            Deadline.check();
            term = term.multiply(y, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        for (int i = 0; i < halvings; i++) sum = sum.multiply(sum, mc);
        return sum;
    }

    /** natural log of x > 0: x = m·2^k with m in [0.75, 1.5], ln m = 2 atanh((m-1)/(m+1)) */
    BigDecimal log(BigDecimal x) {
        if (x.signum() <= 0) throw new ArithmeticException("log of a non-positive number");
        // m·2^k by the binary exponent first: a 10^500 argument needs no 1,660 halvings
        int k = x.unscaledValue().abs().bitLength() - (int) Math.ceil(x.scale() * 3.321928094887362) - 1;
        BigDecimal m = k >= 0 ? x.divide(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(k)), mc)
                : x.multiply(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(-k)), mc);
        BigDecimal hi = new BigDecimal("1.5");
        BigDecimal lo = new BigDecimal("0.75");
        for (int guard = 0; m.compareTo(hi) > 0 && guard < 64; guard++) {
            m = m.divide(BigDecimal.TWO, mc);
            k++;
        }
        for (int guard = 0; m.compareTo(lo) < 0 && guard < 64; guard++) {
            m = m.multiply(BigDecimal.TWO, mc);
            k--;
        }
        BigDecimal z = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), mc);
        return atanhSeries(z).multiply(BigDecimal.TWO, mc).add(ln2.multiply(BigDecimal.valueOf(k), mc), mc);
    }

    /** atanh z = z + z³/3 + z⁵/5 + … for |z| well below 1 */
    private BigDecimal atanhSeries(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int n = 3; power.abs().compareTo(eps) > 0 && n < 100_000; n += 2) {
            Deadline.check();
            power = power.multiply(z2, mc);
            sum = sum.add(power.divide(BigDecimal.valueOf(n), mc), mc);
        }
        return sum;
    }

    BigDecimal atan(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.ONE) > 0) {
            BigDecimal inner = atanSmall(BigDecimal.ONE.divide(x, mc));
            return (x.signum() > 0 ? halfPi : halfPi.negate()).subtract(inner, mc);
        }
        return atanSmall(x);
    }

    /** atan x for |x| <= 1: atan x = 2 atan(x / (1 + sqrt(1 + x²))) until |x| <= 0.2, then its series */
    private BigDecimal atanSmall(BigDecimal x) {
        BigDecimal y = x;
        int doublings = 0;
        while (y.abs().compareTo(new BigDecimal("0.2")) > 0) {
            y = y.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(y.multiply(y, mc)).sqrt(mc)), mc);
            doublings++;
        }
        BigDecimal y2 = y.multiply(y, mc);
        BigDecimal power = y;
        BigDecimal sum = y;
        for (int n = 3; power.abs().compareTo(eps) > 0 && n < 100_000; n += 2) {
            Deadline.check();
            power = power.multiply(y2, mc).negate();
            sum = sum.add(power.divide(BigDecimal.valueOf(n), mc), mc);
        }
        return sum.multiply(BigDecimal.valueOf(1L << doublings), mc);
    }

    /** the angle of (x, y) in (-π, π] */
    BigDecimal atan2(BigDecimal y, BigDecimal x) {
        if (x.signum() > 0) return atan(y.divide(x, mc));
        if (x.signum() == 0) {
            if (y.signum() == 0) throw new ArithmeticException("atan2(0, 0)");
            return y.signum() > 0 ? halfPi : halfPi.negate();
        }
        BigDecimal a = atan(y.divide(x, mc));
        return y.signum() >= 0 ? a.add(pi, mc) : a.subtract(pi, mc);
    }

    BigDecimal sinh(BigDecimal x) {
        return exp(x).subtract(exp(x.negate()), mc).divide(BigDecimal.TWO, mc);
    }

    BigDecimal cosh(BigDecimal x) {
        return exp(x).add(exp(x.negate()), mc).divide(BigDecimal.TWO, mc);
    }

    BigDecimal tanh(BigDecimal x) {
        BigDecimal e2 = exp(x.multiply(BigDecimal.TWO));
        return e2.subtract(BigDecimal.ONE).divide(e2.add(BigDecimal.ONE), mc);
    }

    /** asin x for |x| <= 1 */
    BigDecimal asin(BigDecimal x) {
        BigDecimal c = BigDecimal.ONE.subtract(x.multiply(x, mc), mc);
        if (c.signum() == 0) return x.signum() > 0 ? halfPi : halfPi.negate();
        return atan(x.divide(c.sqrt(mc), mc));
    }

    BigDecimal sqrt(BigDecimal x) {
        return x.sqrt(mc);
    }
}
