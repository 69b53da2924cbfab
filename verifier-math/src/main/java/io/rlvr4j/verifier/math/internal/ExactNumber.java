package io.rlvr4j.verifier.math.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number written as an answer, held exactly as a reduced fraction {@code numerator / denominator}.
 *
 * <p>Accepted forms (after {@link AnswerNormalizer}): an optional sign ({@code +}, {@code -} or the
 * Unicode minus) then an integer or decimal ({@code 42}, {@code -0.5}, {@code .5}, {@code 3.}),
 * optionally with thousands separators ({@code 1,000} or {@code 1,234.5}, groups of exactly three
 * digits); a fraction of two such numbers {@code a/b}; or {@code \frac{a}{b}}, {@code \dfrac{a}{b}},
 * {@code \tfrac{a}{b}} and the shorthand {@code \frac12}. A zero denominator, an exponent or anything
 * else is not a number. Texts longer than {@value #MAX_LENGTH} characters are not parsed at all, which
 * bounds the cost of arithmetic on huge junk answers.
 *
 * @param numerator the reduced numerator, carrying the sign
 * @param denominator the reduced denominator, positive
 * @param decimal whether the text had a decimal point (it may be a rounded approximation)
 */
record ExactNumber(BigInteger numerator, BigInteger denominator, boolean decimal) {

    static final int MAX_LENGTH = 400;

    private static final String UNSIGNED = "(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d*)?|\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern PLAIN = Pattern.compile("([+-]?)(" + UNSIGNED + ")");
    private static final Pattern SLASH = Pattern.compile("([+-]?)(" + UNSIGNED + ")/(" + UNSIGNED + ")");
    private static final Pattern FRAC = Pattern.compile("([+-]?)\\\\[dt]?frac\\{([+-]?" + UNSIGNED + ")}\\{([+-]?" + UNSIGNED + ")}");
    private static final Pattern FRAC_SHORT = Pattern.compile("([+-]?)\\\\[dt]?frac(\\d)(\\d)");

    ExactNumber {
        if (denominator.signum() <= 0) throw new IllegalArgumentException("denominator must be positive");
    }

    /** {@return the number {@code text} denotes, if it is one of the accepted forms} */
    static Optional<ExactNumber> parse(String text) {
        if (text.length() > MAX_LENGTH) return Optional.empty();
        String s = text.replace('\u2212', '-');
        Matcher m;
        if ((m = PLAIN.matcher(s)).matches()) {
            return Optional.of(of(m.group(1), m.group(2), "1"));
        }
        if ((m = SLASH.matcher(s)).matches() || (m = FRAC.matcher(s)).matches() || (m = FRAC_SHORT.matcher(s)).matches()) {
            return ofFraction(m.group(1), m.group(2), m.group(3));
        }
        return Optional.empty();
    }

    private static ExactNumber of(String sign, String numerator, String denominator) {
        return ofFraction(sign, numerator, denominator).orElseThrow();
    }

    private static Optional<ExactNumber> ofFraction(String sign, String a, String b) {
        BigDecimal num = decimal(a);
        BigDecimal den = decimal(b);
        if (den.signum() == 0) return Optional.empty();
        if (sign.equals("-")) num = num.negate();
        // a/b with decimals: scale both to integers
        int scale = Math.max(num.scale(), den.scale());
        BigInteger n = num.movePointRight(scale).toBigIntegerExact();
        BigInteger d = den.movePointRight(scale).toBigIntegerExact();
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        BigInteger g = n.gcd(d);
        if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
            n = n.divide(g);
            d = d.divide(g);
        }
        boolean decimalPoint = a.contains(".") || b.contains(".");
        return Optional.of(new ExactNumber(n, d, decimalPoint));
    }

    private static BigDecimal decimal(String digits) {
        String s = digits.replace(",", "");
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        return new BigDecimal(s);
    }

    /** {@return whether this number has a finite decimal expansion (its denominator has no prime factor but 2 and 5)} */
    boolean terminating() {
        BigInteger d = denominator;
        d = d.shiftRight(d.getLowestSetBit());
        BigInteger five = BigInteger.valueOf(5);
        while (d.mod(five).signum() == 0) d = d.divide(five);
        return d.equals(BigInteger.ONE);
    }

    /** {@return whether the two numbers are exactly equal} */
    boolean sameValue(ExactNumber o) {
        return numerator.multiply(o.denominator).equals(o.numerator.multiply(denominator));
    }

    /** {@return whether {@code |this - o| <= tolerance * max(|this|, |o|)}} */
    boolean closeTo(ExactNumber o, double tolerance) {
        BigInteger diffNum = numerator.multiply(o.denominator).subtract(o.numerator.multiply(denominator)).abs();
        BigInteger diffDen = denominator.multiply(o.denominator);
        BigDecimal diff = new BigDecimal(diffNum).divide(new BigDecimal(diffDen), MathContext.DECIMAL128);
        BigDecimal a = new BigDecimal(numerator.abs()).divide(new BigDecimal(denominator), MathContext.DECIMAL128);
        BigDecimal b = new BigDecimal(o.numerator.abs()).divide(new BigDecimal(o.denominator), MathContext.DECIMAL128);
        return diff.compareTo(a.max(b).multiply(BigDecimal.valueOf(tolerance))) <= 0;
    }
}
