package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.verifier.math.internal.Expr.Add;
import io.rlvr4j.verifier.math.internal.Expr.Const;
import io.rlvr4j.verifier.math.internal.Expr.Div;
import io.rlvr4j.verifier.math.internal.Expr.Fn;
import io.rlvr4j.verifier.math.internal.Expr.Fn2;
import io.rlvr4j.verifier.math.internal.Expr.Mul;
import io.rlvr4j.verifier.math.internal.Expr.Neg;
import io.rlvr4j.verifier.math.internal.Expr.Num;
import io.rlvr4j.verifier.math.internal.Expr.Percent;
import io.rlvr4j.verifier.math.internal.Expr.Pow;
import io.rlvr4j.verifier.math.internal.Expr.Sub;
import io.rlvr4j.verifier.math.internal.Expr.Var;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Values of scalar answers: exact ({@link Rational}) where the answer is a rational number, else
 * numeric ({@link Complex}) at given values of its variables. Neither ever loops or allocates without
 * bound: exact arithmetic stops at {@link Rational#MAX_BITS}, factorials at {@value #MAX_FACTORIAL}.
 */
final class ExprEvaluator {

    static final int MAX_FACTORIAL = 1000;

    private ExprEvaluator() {}

    /** {@return the exact rational value of {@code e}}, or empty when it is not (or not provably) rational */
    static Optional<Rational> exact(Expr e) {
        try {
            return Optional.ofNullable(exactOrNull(e));
        } catch (ArithmeticException tooBigOrUndefined) {
            return Optional.empty();
        }
    }

    private static Rational exactOrNull(Expr e) {
        Deadline.check();
        return switch (e) {
            case Num n -> n.value();
            case Neg(Expr a) -> map(exactOrNull(a), Rational::negate);
            case Add(Expr a, Expr b) -> binary(a, b, Rational::add);
            case Sub(Expr a, Expr b) -> binary(a, b, Rational::subtract);
            case Mul(Expr a, Expr b) -> binary(a, b, Rational::multiply);
            case Div(Expr a, Expr b) -> binary(a, b, Rational::divide);
            case Percent(Expr a) -> map(exactOrNull(a), r -> r.divide(Rational.of(100)));
            case Pow(Expr a, Expr b) -> power(exactOrNull(a), exactOrNull(b));
            case Fn(String name, Expr a) -> function(name, exactOrNull(a));
            case Fn2(String name, Expr a, Expr b) -> switch (name) {
                case "binom" -> binomial(exactOrNull(a), exactOrNull(b));
                case "root" -> {
                    Rational n = exactOrNull(a);
                    yield n == null || !n.isInteger() || n.signum() <= 0 ? null : power(exactOrNull(b), Rational.ONE.divide(n));
                }
                default -> null;
            };
            default -> null;
        };
    }

    private static Rational binary(Expr a, Expr b, java.util.function.BinaryOperator<Rational> op) {
        Rational x = exactOrNull(a);
        if (x == null) return null;
        Rational y = exactOrNull(b);
        return y == null ? null : op.apply(x, y);
    }

    private static Rational map(Rational r, java.util.function.UnaryOperator<Rational> f) {
        return r == null ? null : f.apply(r);
    }

    /** base^exp when exact: integer exponents, or rational ones whose root is exact (8^{1/3} = 2) */
    private static Rational power(Rational base, Rational exp) {
        if (base == null || exp == null) return null;
        if (exp.den().bitLength() > 16 || exp.num().bitLength() > 31) return null;
        int p = exp.num().intValueExact();
        int q = exp.den().intValueExact();
        if (base.signum() == 0 && p < 0) return null;
        Rational r = base;
        if (q != 1) {
            if (base.signum() < 0) {
                if (q % 2 == 0) return null;
                r = base.negate();
            }
            BigInteger n = root(r.num(), q);
            BigInteger d = root(r.den(), q);
            if (n == null || d == null) return null;
            r = Rational.of(base.signum() < 0 ? n.negate() : n, d);
        }
        return r.pow(p);
    }

    /** {@return the exact q-th root of {@code x >= 0}, or null if it is not an integer} */
    private static BigInteger root(BigInteger x, int q) {
        if (q == 2) {
            BigInteger s = x.sqrt();
            return s.multiply(s).equals(x) ? s : null;
        }
        if (x.bitLength() > 1000) return null;
        double guess = Math.round(Math.pow(x.doubleValue(), 1.0 / q));
        for (long g = (long) guess - 1; g <= (long) guess + 1; g++) {
            if (g >= 0 && BigInteger.valueOf(g).pow(q).equals(x)) return BigInteger.valueOf(g);
        }
        return null;
    }

    private static Rational function(String name, Rational a) {
        if (a == null) return null;
        return switch (name) {
            case "sqrt" -> a.signum() < 0 ? null : power(a, Rational.of(1).divide(Rational.of(2)));
            case "abs" -> a.signum() < 0 ? a.negate() : a;
            case "floor" -> Rational.of(floorDiv(a.num(), a.den()), BigInteger.ONE);
            case "ceil" -> Rational.of(floorDiv(a.num(), a.den()).add(a.isInteger() ? BigInteger.ZERO : BigInteger.ONE), BigInteger.ONE);
            case "fact" -> {
                if (!a.isInteger() || a.signum() < 0 || a.num().compareTo(BigInteger.valueOf(MAX_FACTORIAL)) > 0) yield null;
                BigInteger f = BigInteger.ONE;
                for (int k = 2; k <= a.num().intValue(); k++) f = f.multiply(BigInteger.valueOf(k));
                yield Rational.of(f, BigInteger.ONE);
            }
            default -> null;
        };
    }

    private static BigInteger floorDiv(BigInteger n, BigInteger d) {
        BigInteger[] qr = n.divideAndRemainder(d);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private static Rational binomial(Rational n, Rational k) {
        if (n == null || k == null || !n.isInteger() || !k.isInteger()) return null;
        if (n.num().bitLength() > 20 || k.num().bitLength() > 20) return null;
        long nn = n.num().longValue();
        long kk = k.num().longValue();
        if (nn < 0 || kk < 0) return null;
        if (kk > nn) return Rational.ZERO;
        kk = Math.min(kk, nn - kk);
        if (kk > MAX_FACTORIAL) return null; // C(10^6, 5*10^5) has 10^6 bits: not worth computing
        BigInteger r = BigInteger.ONE;
        for (long j = 1; j <= kk; j++) r = r.multiply(BigInteger.valueOf(nn - kk + j)).divide(BigInteger.valueOf(j));
        return Rational.of(r, BigInteger.ONE);
    }

    /**
     * {@return the numeric value of {@code e} with the variables of {@code env}}, NaN where undefined
     * @throws IllegalArgumentException for non-scalar answers or unknown variables
     */
    static Complex numeric(Expr e, Map<String, Complex> env) {
        Deadline.check();
        return switch (e) {
            case Num n -> Complex.real(n.value().toDouble());
            case Var v -> {
                Complex x = env.get(v.name());
                if (x == null) throw new IllegalArgumentException("no value for " + v.name());
                yield x;
            }
            case Const c -> switch (c.kind()) {
                case PI -> Complex.real(Math.PI);
                case E -> Complex.real(Math.E);
                case I -> Complex.I;
                case INFINITY -> Complex.real(Double.POSITIVE_INFINITY);
            };
            case Neg(Expr a) -> numeric(a, env).negate();
            case Add(Expr a, Expr b) -> numeric(a, env).add(numeric(b, env));
            case Sub(Expr a, Expr b) -> numeric(a, env).subtract(numeric(b, env));
            case Mul(Expr a, Expr b) -> numeric(a, env).multiply(numeric(b, env));
            case Div(Expr a, Expr b) -> numeric(a, env).divide(numeric(b, env));
            case Percent(Expr a) -> numeric(a, env).divide(Complex.real(100));
            case Pow(Expr a, Expr b) -> numeric(a, env).pow(numeric(b, env));
            case Fn(String name, Expr a) -> function(name, numeric(a, env));
            case Fn2(String name, Expr a, Expr b) -> switch (name) {
                case "log" -> numeric(b, env).log().divide(numeric(a, env).log());
                case "root" -> numeric(b, env).pow(Complex.ONE.divide(numeric(a, env)));
                case "binom" -> binomial(numeric(a, env), numeric(b, env));
                default -> throw new IllegalArgumentException(name);
            };
            default -> throw new IllegalArgumentException("not a scalar: " + e.getClass().getSimpleName());
        };
    }

    private static Complex function(String name, Complex x) {
        return switch (name) {
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tan" -> x.sin().divide(x.cos());
            case "cot" -> x.cos().divide(x.sin());
            case "sec" -> Complex.ONE.divide(x.cos());
            case "csc" -> Complex.ONE.divide(x.sin());
            case "arcsin" -> x.isReal() && Math.abs(x.re()) <= 1 ? Complex.real(Math.asin(x.re())) : Complex.NAN;
            case "arccos" -> x.isReal() && Math.abs(x.re()) <= 1 ? Complex.real(Math.acos(x.re())) : Complex.NAN;
            case "arctan" -> x.isReal() ? Complex.real(Math.atan(x.re())) : Complex.NAN;
            case "sinh" -> x.isReal() ? Complex.real(Math.sinh(x.re())) : Complex.NAN;
            case "cosh" -> x.isReal() ? Complex.real(Math.cosh(x.re())) : Complex.NAN;
            case "tanh" -> x.isReal() ? Complex.real(Math.tanh(x.re())) : Complex.NAN;
            case "ln" -> x.log();
            case "exp" -> x.exp();
            case "sqrt" -> x.sqrt();
            case "abs" -> Complex.real(x.abs());
            case "floor" -> x.isReal() ? Complex.real(Math.floor(x.re())) : Complex.NAN;
            case "ceil" -> x.isReal() ? Complex.real(Math.ceil(x.re())) : Complex.NAN;
            case "fact" -> x.isReal() && x.re() == Math.rint(x.re()) && x.re() >= 0
                    ? Complex.real(x.re() > 170 ? Double.POSITIVE_INFINITY : factorial((int) x.re())) : Complex.NAN;
            default -> throw new IllegalArgumentException("unknown function " + name);
        };
    }

    /** C(n, k) = n(n-1)…(n-k+1)/k! for a real or complex n and an integer 0 <= k <= 170; NaN otherwise */
    private static Complex binomial(Complex n, Complex k) {
        if (!k.isReal() || k.re() != Math.rint(k.re()) || k.re() < 0 || k.re() > 170) return Complex.NAN;
        Complex r = Complex.ONE;
        for (int j = 0; j < (int) k.re(); j++) {
            r = r.multiply(n.subtract(Complex.real(j))).divide(Complex.real(j + 1));
        }
        return r;
    }

    /**
     * {@return whether {@code e} is built from numbers with rational operations only} (integer powers,
     * factorials, binomials, floor, ceiling, absolute value, percent): its value is rational, so if
     * {@link #exact} gives up on it, it was too large to decide and a double must not decide instead
     */
    static boolean rationalForm(Expr e) {
        return switch (e) {
            case Num n -> true;
            case Neg(Expr a) -> rationalForm(a);
            case Percent(Expr a) -> rationalForm(a);
            case Add(Expr a, Expr b) -> rationalForm(a) && rationalForm(b);
            case Sub(Expr a, Expr b) -> rationalForm(a) && rationalForm(b);
            case Mul(Expr a, Expr b) -> rationalForm(a) && rationalForm(b);
            case Div(Expr a, Expr b) -> rationalForm(a) && rationalForm(b);
            case Pow(Expr a, Expr b) -> rationalForm(a) && rationalForm(b) && !(b instanceof Div);
            case Fn(String name, Expr a) -> Set.of("fact", "floor", "ceil", "abs").contains(name) && rationalForm(a);
            case Fn2(String name, Expr a, Expr b) -> name.equals("binom") && rationalForm(a) && rationalForm(b);
            default -> false;
        };
    }

    private static double factorial(int n) {
        double f = 1;
        for (int k = 2; k <= n; k++) f *= k;
        return f;
    }

    /** {@return whether a decimal literal appears anywhere in {@code e}} (then values may be rounded) */
    static boolean hasDecimal(Expr e) {
        return switch (e) {
            case Num n -> n.decimal();
            case Neg(Expr a) -> hasDecimal(a);
            case Percent(Expr a) -> hasDecimal(a);
            case Fn(String ignored, Expr a) -> hasDecimal(a);
            case Add(Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            case Sub(Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            case Mul(Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            case Div(Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            case Pow(Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            case Fn2(String ignored, Expr a, Expr b) -> hasDecimal(a) || hasDecimal(b);
            default -> false;
        };
    }

    /** {@return the variables of {@code e}, sorted} */
    static Set<String> variables(Expr e) {
        Set<String> out = new TreeSet<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, Set<String> out) {
        switch (e) {
            case Var v -> out.add(v.name());
            case Neg(Expr a) -> collect(a, out);
            case Percent(Expr a) -> collect(a, out);
            case Fn(String ignored, Expr a) -> collect(a, out);
            case Add(Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Sub(Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Mul(Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Div(Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Pow(Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Fn2(String ignored, Expr a, Expr b) -> { collect(a, out); collect(b, out); }
            case Expr.Relation r -> r.terms().forEach(t -> collect(t, out));
            default -> { }
        }
    }
}
