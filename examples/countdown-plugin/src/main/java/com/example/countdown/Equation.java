package com.example.countdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An equation of the Countdown task: integers, {@code + - * /} (also {@code × ÷}) and parentheses,
 * evaluated exactly as a fraction, so {@code 7/2*2} is 7 and {@code 1/3*3} is 1. A trailing
 * {@code = n} is ignored (models often write the target after the equation). Unary minus, decimals
 * and anything else make it malformed.
 *
 * @param numerator the value's numerator (lowest terms, sign here)
 * @param denominator the value's positive denominator, or 0 if a division by zero or an overflow occurred
 * @param numbers the integers the equation uses, in order
 */
record Equation(long numerator, long denominator, List<Integer> numbers) {

    /** Longer answers are not equations a model means; this also bounds the parser's recursion. */
    static final int MAX_LENGTH = 200;

    /** {@return whether the value is defined and equals {@code n}} */
    boolean equalsInteger(long n) {
        return denominator == 1 && numerator == n;
    }

    /** {@return the equation in {@code text}}, or empty if it is not one */
    static Optional<Equation> parse(String text) {
        String s = text.strip();
        int eq = s.indexOf('=');
        if (eq >= 0) s = s.substring(0, eq).strip();
        if (s.isEmpty() || s.length() > MAX_LENGTH) return Optional.empty();
        Parser p = new Parser(s);
        try {
            long[] v = p.expression();
            p.skipSpaces();
            if (p.at < s.length()) return Optional.empty();
            return Optional.of(new Equation(v[0], v[1], List.copyOf(p.numbers)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Recursive descent over {@code expression := term (('+'|'-') term)*}, {@code term := factor (('*'|'/') factor)*}. */
    private static final class Parser {
        private final String s;
        private final List<Integer> numbers = new ArrayList<>();
        private int at;

        Parser(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }

        private char peek() {
            skipSpaces();
            return at < s.length() ? s.charAt(at) : '\0';
        }

        long[] expression() {
            long[] v = term();
            for (char c = peek(); c == '+' || c == '-'; c = peek()) {
                at++;
                long[] r = term();
                v = c == '+' ? add(v, r) : add(v, new long[] {-r[0], r[1]});
            }
            return v;
        }

        private long[] term() {
            long[] v = factor();
            for (char c = peek(); c == '*' || c == '/' || c == '×' || c == '÷'; c = peek()) {
                at++;
                long[] r = factor();
                v = c == '*' || c == '×' ? multiply(v, r) : multiply(v, new long[] {r[1], r[0]});
            }
            return v;
        }

        private long[] factor() {
            char c = peek();
            if (c == '(') {
                at++;
                long[] v = expression();
                if (peek() != ')') throw new IllegalArgumentException("unclosed parenthesis");
                at++;
                return v;
            }
            if (c < '0' || c > '9') throw new IllegalArgumentException("expected a number at " + at);
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at))) at++;
            if (at - start > 9) throw new IllegalArgumentException("number too long");
            int n = Integer.parseInt(s.substring(start, at));
            numbers.add(n);
            return new long[] {n, 1};
        }
    }

    // fractions as {numerator, denominator}; a denominator of 0 is "undefined" and stays so
    private static long[] add(long[] a, long[] b) {
        if (a[1] == 0 || b[1] == 0) return new long[] {0, 0};
        try {
            return reduce(Math.addExact(Math.multiplyExact(a[0], b[1]), Math.multiplyExact(b[0], a[1])), Math.multiplyExact(a[1], b[1]));
        } catch (ArithmeticException overflow) {
            return new long[] {0, 0};
        }
    }

    private static long[] multiply(long[] a, long[] b) {
        if (a[1] == 0 || b[1] == 0) return new long[] {0, 0};
        try {
            return reduce(Math.multiplyExact(a[0], b[0]), Math.multiplyExact(a[1], b[1]));
        } catch (ArithmeticException overflow) {
            return new long[] {0, 0};
        }
    }

    private static long[] reduce(long num, long den) {
        if (den == 0) return new long[] {0, 0};
        if (den < 0) {
            num = -num;
            den = -den;
        }
        long g = gcd(Math.abs(num), den);
        return new long[] {num / g, den / g};
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }
}
