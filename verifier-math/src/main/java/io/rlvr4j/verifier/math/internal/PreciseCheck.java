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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apfloat.Apcomplex;
import org.apfloat.ApcomplexMath;
import org.apfloat.Apfloat;
import org.apfloat.ApfloatMath;
import org.apfloat.ApfloatRuntimeException;

/**
 * The last word on answers that double precision calls equal: both are evaluated with apfloat to
 * {@value #PRECISION} digits (at exact rational points, for answers in variables) and they are equal
 * only if their difference vanishes to {@value #ZERO_DIGITS} digits. This separates {@code \sqrt2} from
 * a 12-digit fraction, or {@code x} from {@code x + 10^{-12}}, which agree in double precision, while a
 * true identity passes at any precision, whether or not a CAS could simplify it.
 *
 * <p>Why not Symja's {@code N[…, 60]}: measured on this project's table, a warmed Symja took 4–300 ms
 * per check (it tries symbolic rules first), against a target of 5 ms at p99 for a whole comparison;
 * apfloat is the arbitrary-precision library Symja itself computes with, without the rule engine.
 */
final class PreciseCheck {

    static final long PRECISION = 36;
    static final int ZERO_DIGITS = 28;

    /** Exact sample points, away from the small integers where denominators like x-1 vanish. */
    private static final long[][] POINTS = {{7, 5}, {13, 9}, {17, 11}, {5, 13}, {23, 7}, {11, 17}};
    private static final Apfloat EPSILON = ApfloatMath.pow(new Apfloat(10, PRECISION), -ZERO_DIGITS);
    private static final Apfloat PI = ApfloatMath.pi(PRECISION);
    private static final Apfloat E = ApfloatMath.exp(new Apfloat(1, PRECISION));
    private static final Apfloat HUNDRED = new Apfloat(100, PRECISION);

    private PreciseCheck() {}

    /** {@return whether {@code a - b} vanishes to {@value #ZERO_DIGITS} digits, at each sample point when there are variables} */
    static boolean confirmEqual(Expr a, Expr b, Set<String> variables) {
        int points = variables.isEmpty() ? 1 : 3;
        Boolean rational = variables.isEmpty() ? null : exactlyEqualAtPoints(a, b, variables, points);
        if (rational != null) return rational;
        int valid = 0;
        for (int p = 0; p < points; p++) {
            Map<String, Apcomplex> env = new HashMap<>();
            point(p, variables).forEach((v, q) -> env.put(v, new Apfloat(q.num(), PRECISION).divide(new Apfloat(q.den(), PRECISION))));
            Apcomplex x;
            Apcomplex y;
            try {
                x = eval(a, env);
                y = eval(b, env);
            } catch (ArithmeticException | ApfloatRuntimeException pole) {
                continue; // undefined at this point: try the next
            }
            Apfloat scale = ApcomplexMath.abs(x).compareTo(Apfloat.ONE) > 0 ? ApcomplexMath.abs(x) : Apfloat.ONE;
            if (ApcomplexMath.abs(x.subtract(y)).compareTo(EPSILON.multiply(scale)) >= 0) return false;
            valid++;
        }
        return valid >= Math.min(2, points);
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

    /** {@return the value of a scalar answer to {@value #PRECISION} digits} @throws ArithmeticException where undefined */
    static Apcomplex eval(Expr e, Map<String, Apcomplex> env) {
        return switch (e) {
            case Num n -> new Apfloat(n.value().num(), PRECISION).divide(new Apfloat(n.value().den(), PRECISION));
            case Var v -> {
                Apcomplex x = env.get(v.name());
                if (x == null) throw new IllegalArgumentException("no value for " + v.name());
                yield x;
            }
            case Const c -> switch (c.kind()) {
                case PI -> PI;
                case E -> E;
                case I -> new Apcomplex(Apfloat.ZERO, new Apfloat(1, PRECISION));
                case INFINITY -> throw new IllegalArgumentException("infinity has no value");
            };
            case Neg(Expr a) -> eval(a, env).negate();
            case Add(Expr a, Expr b) -> eval(a, env).add(eval(b, env));
            case Sub(Expr a, Expr b) -> eval(a, env).subtract(eval(b, env));
            case Mul(Expr a, Expr b) -> eval(a, env).multiply(eval(b, env));
            case Div(Expr a, Expr b) -> eval(a, env).divide(eval(b, env));
            case Percent(Expr a) -> eval(a, env).divide(HUNDRED);
            case Pow(Expr a, Expr b) -> power(eval(a, env), eval(b, env));
            case Fn(String name, Expr a) -> function(name, eval(a, env));
            case Fn2(String name, Expr a, Expr b) -> switch (name) {
                case "log" -> ApcomplexMath.log(eval(b, env)).divide(ApcomplexMath.log(eval(a, env)));
                case "root" -> power(eval(b, env), new Apfloat(1, PRECISION).divide(eval(a, env)));
                case "binom" -> binomial(eval(a, env), eval(b, env));
                default -> throw new IllegalArgumentException(name);
            };
            default -> throw new IllegalArgumentException("not a scalar: " + e.getClass().getSimpleName());
        };
    }

    private static Apcomplex power(Apcomplex base, Apcomplex exponent) {
        if (exponent.imag().signum() == 0 && exponent.real().isInteger() && ApfloatMath.abs(exponent.real()).compareTo(new Apfloat(10_000)) <= 0) {
            return ApcomplexMath.pow(base, exponent.real().longValue()); // exact repeated squaring, also for negative bases
        }
        if (base.imag().signum() == 0 && exponent.imag().signum() == 0 && base.real().signum() > 0) {
            java.math.BigDecimal b = new java.math.BigDecimal(base.real().toString(true));
            java.math.BigDecimal y = new java.math.BigDecimal(exponent.real().toString(true));
            java.math.BigDecimal r = BigMath.exp(y.multiply(BigMath.log(b), BigMath.MC));
            return new Apfloat(r.round(new java.math.MathContext((int) PRECISION)).toPlainString(), PRECISION);
        }
        return ApcomplexMath.pow(base, exponent);
    }

    private static Apcomplex function(String name, Apcomplex x) {
        if (x.imag().signum() == 0) {
            Apfloat r = realFunction(name, x.real());
            if (r != null) return r;
        }
        return switch (name) {
            case "sin" -> ApcomplexMath.sin(x);
            case "cos" -> ApcomplexMath.cos(x);
            case "tan" -> ApcomplexMath.tan(x);
            case "cot" -> ApcomplexMath.cos(x).divide(ApcomplexMath.sin(x));
            case "sec" -> new Apfloat(1, PRECISION).divide(ApcomplexMath.cos(x));
            case "csc" -> new Apfloat(1, PRECISION).divide(ApcomplexMath.sin(x));
            case "arcsin" -> ApcomplexMath.asin(x);
            case "arccos" -> x.equals(Apcomplex.ZERO) ? PI.divide(new Apfloat(2, PRECISION)) : ApcomplexMath.acos(x); // 0 has infinite precision
            case "arctan" -> ApcomplexMath.atan(x);
            case "sinh" -> ApcomplexMath.sinh(x);
            case "cosh" -> ApcomplexMath.cosh(x);
            case "tanh" -> ApcomplexMath.tanh(x);
            case "ln" -> ApcomplexMath.log(x);
            case "exp" -> ApcomplexMath.exp(x);
            case "sqrt" -> ApcomplexMath.sqrt(x);
            case "abs" -> ApcomplexMath.abs(x);
            case "floor" -> real(x, ApfloatMath::floor);
            case "ceil" -> real(x, ApfloatMath::ceil);
            case "fact" -> ApcomplexMath.gamma(x.add(new Apfloat(1, PRECISION)));
            default -> throw new IllegalArgumentException("unknown function " + name);
        };
    }

    /** Real arguments go to {@link BigMath}, many times faster than apfloat at this precision. Null outside their domain. */
    private static Apfloat realFunction(String name, Apfloat ap) {
        java.math.BigDecimal x = new java.math.BigDecimal(ap.toString(true));
        int sign = x.signum();
        boolean unit = x.abs().compareTo(java.math.BigDecimal.ONE) <= 0;
        java.math.BigDecimal r = switch (name) {
            case "sin" -> BigMath.sin(x);
            case "cos" -> BigMath.cos(x);
            case "tan" -> BigMath.sin(x).divide(BigMath.cos(x), BigMath.MC);
            case "cot" -> BigMath.cos(x).divide(BigMath.sin(x), BigMath.MC);
            case "sec" -> java.math.BigDecimal.ONE.divide(BigMath.cos(x), BigMath.MC);
            case "csc" -> java.math.BigDecimal.ONE.divide(BigMath.sin(x), BigMath.MC);
            case "arcsin" -> unit ? BigMath.asin(x) : null;
            case "arccos" -> unit ? BigMath.PI.divide(java.math.BigDecimal.TWO).subtract(BigMath.asin(x), BigMath.MC) : null;
            case "arctan" -> BigMath.atan(x);
            case "sinh" -> BigMath.exp(x).subtract(BigMath.exp(x.negate()), BigMath.MC).divide(java.math.BigDecimal.TWO, BigMath.MC);
            case "cosh" -> BigMath.exp(x).add(BigMath.exp(x.negate()), BigMath.MC).divide(java.math.BigDecimal.TWO, BigMath.MC);
            case "tanh" -> {
                java.math.BigDecimal e2 = BigMath.exp(x.multiply(java.math.BigDecimal.TWO));
                yield e2.subtract(java.math.BigDecimal.ONE).divide(e2.add(java.math.BigDecimal.ONE), BigMath.MC);
            }
            case "ln" -> sign > 0 ? BigMath.log(x) : null;
            case "exp" -> BigMath.exp(x);
            case "sqrt" -> sign >= 0 ? x.sqrt(BigMath.MC) : null;
            default -> null;
        };
        return r == null ? null : new Apfloat(r.round(new java.math.MathContext((int) PRECISION)).toPlainString(), PRECISION);
    }

    private static Apcomplex real(Apcomplex x, java.util.function.UnaryOperator<Apfloat> f) {
        if (x.imag().signum() != 0) throw new ArithmeticException("not real");
        return f.apply(x.real());
    }

    /** C(n, k) for an integer 0 <= k <= 1000: n(n-1)…(n-k+1)/k! */
    private static Apcomplex binomial(Apcomplex n, Apcomplex k) {
        if (k.imag().signum() != 0 || !k.real().isInteger() || k.real().signum() < 0 || k.real().compareTo(new Apfloat(1000)) > 0) {
            throw new ArithmeticException("binomial with a non-integer k");
        }
        Apcomplex r = new Apfloat(1, PRECISION);
        long kk = k.real().longValue();
        for (long j = 0; j < kk; j++) {
            r = r.multiply(n.subtract(new Apfloat(j, PRECISION))).divide(new Apfloat(j + 1, PRECISION));
        }
        return r;
    }
}
