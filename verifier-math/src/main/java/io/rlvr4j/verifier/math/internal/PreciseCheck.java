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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The last word on answers that double precision calls equal: both are evaluated as {@link BigComplex}
 * to 50 digits (at exact rational points, for answers in variables) and they are equal
 * only if their difference vanishes to {@value #ZERO_DIGITS} digits (and, for values beyond 10^20, to
 * 10^-20 absolutely, with as many more digits as that needs). This separates {@code \sqrt2} from
 * a 12-digit fraction, or {@code x} from {@code x + 10^{-12}}, which agree in double precision, while a
 * true identity passes at any precision, whether or not a CAS could simplify it.
 *
 * <p>Why not Symja's {@code N[…, 60]}: measured on this project's table, a warmed Symja took 4–300 ms
 * per check (it tries symbolic rules first), against a target of 5 ms at p99 for a whole comparison.
 * Why not apfloat, the arbitrary-precision library Symja computes with: built for thousands of digits,
 * at 36 it spent most of its time allocating storage and put the symbolic layer's p99 at ~7 ms in
 * {@code rlvr4j bench verifier}; {@link BigDecimal} with {@link BigMath}'s series is several times faster.
 */
final class PreciseCheck {

    static final int ZERO_DIGITS = 28;

    /** Exact sample points, away from the small integers where denominators like x-1 vanish. */
    private static final long[][] POINTS = {{7, 5}, {13, 9}, {17, 11}, {5, 13}, {23, 7}, {11, 17}};
    private static final BigDecimal EPSILON = BigDecimal.ONE.movePointLeft(ZERO_DIGITS);
    /** From here on, {@code STANDARD} digits cannot tell {@code x} from {@code x + 1}: such values are recomputed with more. */
    private static final BigDecimal LARGE = BigDecimal.ONE.movePointRight(20);
    /** How close large values must be, absolutely, at the precision that resolves them. */
    private static final BigDecimal ABSOLUTE = BigDecimal.ONE.movePointLeft(20);
    private static final BigComplex HUNDRED = BigComplex.real(BigDecimal.valueOf(100));

    private PreciseCheck() {}

    /** {@return whether {@code a - b} vanishes to {@value #ZERO_DIGITS} digits, at each sample point when there are variables} */
    static boolean confirmEqual(Expr a, Expr b, Set<String> variables) {
        int points = variables.isEmpty() ? 1 : 3;
        Boolean rational = variables.isEmpty() ? null : exactlyEqualAtPoints(a, b, variables, points);
        if (rational != null) return rational;
        int valid = 0;
        for (int p = 0; p < points; p++) {
            boolean agree;
            try {
                agree = agreeAt(a, b, point(p, variables));
            } catch (ArithmeticException pole) {
                continue; // undefined at this point, or too large to resolve: try the next
            }
            if (!agree) return false;
            valid++;
        }
        return valid >= Math.min(2, points);
    }

    /**
     * {@return whether a and b agree at the point to {@value #ZERO_DIGITS} significant digits, and, where
     * they reach 10^20, to 10^-20 absolutely, recomputed with as many more digits as that takes} So
     * {@code (1+\sqrt2)^{200}} and {@code (1+\sqrt2)^{200}+1} differ, where 50 digits would call them equal.
     */
    private static boolean agreeAt(Expr a, Expr b, Map<String, Rational> point) {
        BigMath m = BigMath.STANDARD;
        Map<String, BigComplex> env = values(point, m);
        BigComplex x = eval(a, env, m);
        BigComplex y = eval(b, env, m);
        BigDecimal scale = x.abs(m).max(y.abs(m)).max(BigDecimal.ONE);
        if (x.subtract(y, m).abs(m).compareTo(EPSILON.multiply(scale)) >= 0) return false;
        if (scale.compareTo(LARGE) < 0) return true;
        BigMath more = BigMath.of(scale.precision() - scale.scale() + BigMath.STANDARD_DIGITS);
        Map<String, BigComplex> precise = values(point, more);
        BigComplex xm = eval(a, precise, more);
        BigComplex ym = eval(b, precise, more);
        return xm.subtract(ym, more).abs(more).compareTo(ABSOLUTE) < 0;
    }

    private static Map<String, BigComplex> values(Map<String, Rational> point, BigMath m) {
        Map<String, BigComplex> env = new HashMap<>();
        point.forEach((v, q) -> env.put(v, BigComplex.rational(q, m)));
        return env;
    }

    /**
     * {@return for rational functions (polynomials, quotients, integer powers), whether they agree exactly
     * at the sample points}: exact and a thousand times cheaper than {@link #eval}; null when some side is
     * not a rational function of its variables
     */
    private static Boolean exactlyEqualAtPoints(Expr a, Expr b, Set<String> variables, int points) {
        int valid = 0;
        for (int p = 0; p < points; p++) {
            Map<String, Expr> values = new HashMap<>();
            point(p, variables).forEach((v, q) -> values.put(v, new Num(q, false)));
            Expr x = substitute(a, values);
            Expr y = substitute(b, values);
            if (!ExprEvaluator.rationalForm(x) || !ExprEvaluator.rationalForm(y)) return null;
            var ex = ExprEvaluator.exact(x);
            var ey = ExprEvaluator.exact(y);
            if (ex.isEmpty() && ey.isEmpty()) continue; // a pole of both
            if (ex.isEmpty() || ey.isEmpty()) return null; // a pole of one, or too large: let apfloat decide
            if (!ex.get().equals(ey.get())) return false;
            valid++;
        }
        return valid >= 2 ? Boolean.TRUE : null;
    }

    /** {@return sample point {@code p}: each variable's exact rational value there} (the k-th variable takes the (p+k)-th point) */
    private static Map<String, Rational> point(int p, Set<String> variables) {
        Map<String, Rational> out = new HashMap<>();
        int k = 0;
        for (String v : variables) {
            long[] q = POINTS[(p + k++) % POINTS.length];
            out.put(v, Rational.of(java.math.BigInteger.valueOf(q[0]), java.math.BigInteger.valueOf(q[1])));
        }
        return out;
    }

    private static Expr substitute(Expr e, Map<String, Expr> values) {
        return switch (e) {
            case Var v -> values.getOrDefault(v.name(), v);
            case Neg(Expr a) -> new Neg(substitute(a, values));
            case Add(Expr a, Expr b) -> new Add(substitute(a, values), substitute(b, values));
            case Sub(Expr a, Expr b) -> new Sub(substitute(a, values), substitute(b, values));
            case Mul(Expr a, Expr b) -> new Mul(substitute(a, values), substitute(b, values));
            case Div(Expr a, Expr b) -> new Div(substitute(a, values), substitute(b, values));
            case Pow(Expr a, Expr b) -> new Pow(substitute(a, values), substitute(b, values));
            case Percent(Expr a) -> new Percent(substitute(a, values));
            case Fn(String name, Expr a) -> new Fn(name, substitute(a, values));
            case Fn2(String name, Expr a, Expr b) -> new Fn2(name, substitute(a, values), substitute(b, values));
            default -> e;
        };
    }

    /** {@return the value of a scalar answer to the digits of {@code m}} @throws ArithmeticException where undefined */
    static BigComplex eval(Expr e, Map<String, BigComplex> env, BigMath m) {
        Deadline.check();
        return switch (e) {
            case Num n -> BigComplex.rational(n.value(), m);
            case Var v -> {
                BigComplex x = env.get(v.name());
                if (x == null) throw new IllegalArgumentException("no value for " + v.name());
                yield x;
            }
            case Const c -> switch (c.kind()) {
                case PI -> BigComplex.real(m.pi);
                case E -> BigComplex.real(m.e);
                case I -> BigComplex.I;
                case INFINITY -> throw new ArithmeticException("infinity has no value");
            };
            case Neg(Expr a) -> eval(a, env, m).negate();
            case Add(Expr a, Expr b) -> eval(a, env, m).add(eval(b, env, m), m);
            case Sub(Expr a, Expr b) -> eval(a, env, m).subtract(eval(b, env, m), m);
            case Mul(Expr a, Expr b) -> eval(a, env, m).multiply(eval(b, env, m), m);
            case Div(Expr a, Expr b) -> eval(a, env, m).divide(eval(b, env, m), m);
            case Percent(Expr a) -> eval(a, env, m).divide(HUNDRED, m);
            case Pow(Expr a, Expr b) -> eval(a, env, m).pow(eval(b, env, m), m);
            case Fn(String name, Expr a) -> function(name, eval(a, env, m), m);
            case Fn2(String name, Expr a, Expr b) -> switch (name) {
                case "log" -> eval(b, env, m).log(m).divide(eval(a, env, m).log(m), m);
                case "root" -> eval(b, env, m).pow(BigComplex.ONE.divide(eval(a, env, m), m), m);
                case "binom" -> binomial(eval(a, env, m), eval(b, env, m), m);
                default -> throw new IllegalArgumentException(name);
            };
            default -> throw new IllegalArgumentException("not a scalar: " + e.getClass().getSimpleName());
        };
    }

    /**
     * The functions of {@link ExprEvaluator}'s double evaluation, with the same domains: the inverse
     * trigonometric and hyperbolic functions, floor and ceiling of real arguments only.
     */
    private static BigComplex function(String name, BigComplex x, BigMath m) {
        return switch (name) {
            case "sin" -> x.sin(m);
            case "cos" -> x.cos(m);
            case "tan" -> x.sin(m).divide(x.cos(m), m);
            case "cot" -> x.cos(m).divide(x.sin(m), m);
            case "sec" -> BigComplex.ONE.divide(x.cos(m), m);
            case "csc" -> BigComplex.ONE.divide(x.sin(m), m);
            case "arcsin" -> BigComplex.real(m.asin(unit(x.realValue())));
            case "arccos" -> BigComplex.real(m.pi.divide(BigDecimal.TWO, m.mc).subtract(m.asin(unit(x.realValue())), m.mc));
            case "arctan" -> BigComplex.real(m.atan(x.realValue()));
            case "sinh" -> BigComplex.real(m.sinh(x.realValue()));
            case "cosh" -> BigComplex.real(m.cosh(x.realValue()));
            case "tanh" -> BigComplex.real(m.tanh(x.realValue()));
            case "ln" -> x.log(m);
            case "exp" -> x.exp(m);
            case "sqrt" -> x.sqrt(m);
            case "abs" -> BigComplex.real(x.abs(m));
            case "floor" -> BigComplex.real(x.realValue().setScale(0, RoundingMode.FLOOR));
            case "ceil" -> BigComplex.real(x.realValue().setScale(0, RoundingMode.CEILING));
            case "fact" -> x.factorial(ExprEvaluator.MAX_FACTORIAL, m);
            default -> throw new IllegalArgumentException("unknown function " + name);
        };
    }

    private static BigDecimal unit(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.ONE) > 0) throw new ArithmeticException("outside [-1, 1]: " + x);
        return x;
    }

    /** C(n, k) for an integer 0 <= k <= 1000: n(n-1)…(n-k+1)/k! */
    private static BigComplex binomial(BigComplex n, BigComplex k, BigMath m) {
        BigDecimal kk = k.realValue();
        if (kk.signum() < 0 || kk.stripTrailingZeros().scale() > 0 || kk.compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw new ArithmeticException("binomial with a non-integer k");
        }
        BigComplex r = BigComplex.ONE;
        for (int j = 0; j < kk.intValueExact(); j++) {
            r = r.multiply(n.subtract(BigComplex.real(BigDecimal.valueOf(j)), m), m).divide(BigComplex.real(BigDecimal.valueOf(j + 1)), m);
        }
        return r;
    }
}
