package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.verifier.math.internal.Expr.Add;
import io.rlvr4j.verifier.math.internal.Expr.AnswerList;
import io.rlvr4j.verifier.math.internal.Expr.Bracketed;
import io.rlvr4j.verifier.math.internal.Expr.Const;
import io.rlvr4j.verifier.math.internal.Expr.Matrix;
import io.rlvr4j.verifier.math.internal.Expr.Neg;
import io.rlvr4j.verifier.math.internal.Expr.Percent;
import io.rlvr4j.verifier.math.internal.Expr.PlusMinus;
import io.rlvr4j.verifier.math.internal.Expr.Relation;
import io.rlvr4j.verifier.math.internal.Expr.SetOf;
import io.rlvr4j.verifier.math.internal.Expr.Sub;
import io.rlvr4j.verifier.math.internal.Expr.Text;
import io.rlvr4j.verifier.math.internal.Expr.Union;
import io.rlvr4j.verifier.math.internal.Expr.Var;
import io.rlvr4j.verifier.math.internal.LatexLexer.SyntaxException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a predicted final answer means the same as the reference, in layers, cheapest
 * first, answering "not equal" whenever a layer cannot be sure:
 * <ol>
 *   <li>{@code string}: identical after removing presentation (spaces, {@code \left}, {@code $} …);
 *   <li>{@code choice}: a multiple-choice reference letter ({@code B}, {@code (B)}, {@code \text{(B)}})
 *       against the letter of the answer;
 *   <li>{@code number}: both sides are rational numbers: exact equality, or, only when a decimal literal
 *       appears, a relative difference of at most the tolerance ({@value #DEFAULT_TOLERANCE} unless set);
 *       a side with {@code %} may mean its number or a hundredth of it; a decimal comma ({@code 1000,99},
 *       {@code 0,111}) reads as a decimal point where the other side is one plain number;
 *   <li>{@code structure}: lists and sets (unordered), tuples and intervals (ordered, bracket kinds
 *       kept), unions, matrices, equations ({@code x = 5} is 5; {@code x = 5+5+1 = 11} is its last side;
 *       {@code x = \frac13 \approx 0.33} is 1/3; two equations are equal when one is a non-zero multiple
 *       of the other), inequalities as intervals, or one against another when one side minus the other
 *       is a positive multiple of the other's ({@code -x > -1} is {@code x < 1}), {@code a \pm b} as two
 *       answers; the leaves are compared by the other layers;
 *   <li>{@code numeric}: constant expressions (π, e, radicals, logs, trig, i) evaluated in double
 *       precision, equal within {@value #NUMERIC_TOLERANCE} relative, then confirmed by
 *       {@link PreciseCheck} to 40 digits unless a decimal literal makes them approximate anyway;
 *   <li>{@code symbolic}: expressions in variables, equal at every one of {@value #POINTS} seeded random
 *       points (complex arithmetic, so no point is lost to a square root of a negative), then confirmed
 *       by {@link PreciseCheck} at exact rational points to 40 digits.
 * </ol>
 * An answer the parser cannot read as a whole but whose last side after a top-level {@code =} it can
 * ({@code 1 = \zzz = x = 0}) is read as that side. Several answers where the reference has one
 * ({@code 40, 41, 42}, {@code A or B}, two different boxes) are {@linkplain Verdict#hedged() hedged}.
 * Thread-safe and stateless.
 */
final class Equivalence {

    /**
     * The verdict and how it was reached.
     *
     * @param equal whether the answers are equivalent
     * @param layer the deepest layer used: string, choice, number, structure, numeric, symbolic
     * @param reason why not, when the answer could not be understood (else null)
     * @param hedged whether the answer, not equal, gave several answers where the reference has one
     */
    record Verdict(boolean equal, String layer, String reason, boolean hedged) {
        Verdict(boolean equal, String layer, String reason) {
            this(equal, layer, reason, false);
        }
    }

    /** The relative tolerance of numbers where a decimal literal appears, unless a problem sets another. */
    static final double DEFAULT_TOLERANCE = 1e-6;
    static final double NUMERIC_TOLERANCE = 1e-10;
    static final double SYMBOLIC_TOLERANCE = 1e-8;
    static final int POINTS = 8;
    private static final int MIN_VALID_POINTS = 4;
    private static final int MAX_VARIABLES = 8;
    private static final int MAX_ITEMS = 200;

    private static final Pattern GOLD_CHOICE = Pattern.compile("\\(?([A-E])\\)?");
    private static final Pattern WRAPPER = Pattern.compile("\\\\(?:text|textbf|mathrm|mathbf|textrm|mbox)\\s*\\{([^{}]*)}");
    private static final Pattern OTHER_CHOICE = Pattern.compile("(?<![A-Za-z])[A-E](?![A-Za-z])");
    private static final Pattern PRED_CHOICE = Pattern.compile("\\(?([A-E])\\)?(?:[\\s:.].*)?", Pattern.DOTALL);

    /** The deepest layer a comparison reached. */
    private static final class Depth {
        int level;
        void reach(int l) {
            level = Math.max(level, l);
        }
    }

    private static final String[] LAYERS = {"string", "choice", "number", "structure", "numeric", "symbolic"};
    private static final int NUMBER = 2;
    private static final int STRUCTURE = 3;
    private static final int NUMERIC = 4;
    private static final int SYMBOLIC = 5;

    /**
     * {@return whether {@code s} is a plain decimal number}: {@code [+-]?(\d{1,400}(\.\d{0,400})?|\.\d{1,400})},
     * checked by hand (this runs twice on every comparison; the regex was a tenth of the number layer)
     */
    static boolean plainNumber(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        if (intDigits > 400) return false;
        if (i == n) return intDigits > 0;
        if (s.charAt(i) != '.') return false;
        i++;
        int fraction = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            fraction++;
        }
        return i == n && fraction <= 400 && (intDigits > 0 || fraction > 0);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
    private static final Pattern COMMA_NUMBER = Pattern.compile("[+-]?\\d{1,400},\\d{1,400}");
    private static final Pattern THOUSANDS = Pattern.compile("[+-]?[1-9]\\d{0,2},\\d{3}");

    private final double tolerance;

    /** Equivalence with the {@value #DEFAULT_TOLERANCE} relative tolerance for decimals. */
    Equivalence() {
        this(DEFAULT_TOLERANCE);
    }

    /** Equivalence where decimals may differ by {@code tolerance} relative (0: exact). */
    Equivalence(double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in [0, 1): " + tolerance);
        this.tolerance = tolerance;
    }

    /**
     * {@return the verdict when it is cheap}: identical text, a multiple-choice letter, or two plain
     * numbers; empty when parsing is needed. Costs microseconds, so callers run it inline and send only
     * the rest to a time-limited worker.
     */
    Optional<Verdict> quick(String gold, String pred) {
        String g = presentationFree(gold);
        String p = presentationFree(pred);
        if (g.isEmpty()) return Optional.of(new Verdict(false, "string", "the reference answer is empty"));
        if (g.equals(p)) return Optional.of(new Verdict(true, "string", null));
        boolean plainGold = plainNumber(g);
        boolean plainPred = plainNumber(p);
        if (plainGold && !plainPred && !hasSpace(pred)) {
            p = decimalComma(p, p);
            plainPred = plainNumber(p);
        } else if (plainPred && !plainGold && !hasSpace(gold)) {
            g = decimalComma(g, g);
            plainGold = plainNumber(g);
        }
        if (plainGold && plainPred) {
            Rational a = Rational.ofDecimal(g);
            Rational b = Rational.ofDecimal(p);
            boolean decimal = g.contains(".") || p.contains(".");
            return Optional.of(new Verdict(decimal ? relativelyClose(a, b) : a.equals(b), "number", null));
        }
        return Optional.empty();
    }

    /** "1, 2" is two answers, never 1.2 */
    private static boolean hasSpace(String s) {
        return s.strip().chars().anyMatch(Character::isWhitespace);
    }

    /**
     * {@return {@code s} with its comma read as a decimal point, if it is one number with one comma that
     * cannot be a thousands separator ({@code 1,22}, {@code 1000,99}, {@code 0,111}; not {@code 1,000});
     * else {@code otherwise}} Used only against one plain number, where a list could never be right.
     */
    private static String decimalComma(String s, String otherwise) {
        return COMMA_NUMBER.matcher(s).matches() && !THOUSANDS.matcher(s).matches() ? s.replace(',', '.') : otherwise;
    }

    /**
     * {@return whether {@code answer} is one this class can read}: a plain number or a parsed answer.
     * The verifier takes the first such candidate of a response.
     */
    boolean understood(String answer) {
        String p = presentationFree(answer);
        if (p.isEmpty()) return false;
        if (plainNumber(p)) return true;
        try {
            parseLenient(answer);
            return true;
        } catch (SyntaxException | ArithmeticException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * {@return the parsed answer, or, if that fails, its last side after a top-level {@code =}}
     * ({@code 1 = \zzz = x = 0} is 0) @throws SyntaxException if neither parses
     */
    static Expr parseLenient(String text) {
        try {
            return LatexParser.parse(text);
        } catch (SyntaxException | ArithmeticException | NumberFormatException e) {
            int eq = lastTopLevelEquals(text);
            if (eq < 0) throw e;
            try {
                return LatexParser.parse(text.substring(eq + 1));
            } catch (SyntaxException | ArithmeticException | NumberFormatException ignored) {
                throw e;
            }
        }
    }

    /** {@return the index of the last {@code =} outside brackets and braces that is not part of {@code <= >= !=}, or -1} */
    private static int lastTopLevelEquals(String s) {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '{' || c == '(' || c == '[') depth++;
            else if ((c == '}' || c == ')' || c == ']') && depth > 0) depth--;
            else if (c == '=' && depth == 0 && (i == 0 || "<>!".indexOf(s.charAt(i - 1)) < 0)) last = i;
        }
        return last == s.length() - 1 ? -1 : last;
    }

    /** {@return whether {@code gold} and {@code pred} are equivalent, and how that was decided} */
    Verdict compare(String gold, String pred) {
        return quick(gold, pred).orElseGet(() -> beyondQuick(gold, pred));
    }

    /**
     * {@return the verdict of the layers after {@link #quick}}: choice, then the parsed answers. For
     * pairs {@code quick} left undecided; callers run it under a time limit.
     */
    Verdict beyondQuick(String gold, String pred) {
        String g = presentationFree(gold);
        Matcher choice = GOLD_CHOICE.matcher(unwrap(g));
        if (choice.matches()) {
            Matcher m = PRED_CHOICE.matcher(unwrap(pred.strip()));
            boolean named = m.matches() && m.group(1).equals(choice.group(1));
            boolean other = m.matches() && OTHER_CHOICE.matcher(unwrap(pred.strip()).substring(m.end(1))).find(); // "(B) or (C)" hedges
            boolean hedged = other || OTHER_CHOICE.matcher(unwrap(pred.strip())).results().map(MatchResult::group).distinct().count() > 1;
            return new Verdict(named && !other, "choice", hedged ? "several answers where the reference has one" : null, hedged);
        }
        Expr ge;
        try {
            ge = parseLenient(gold);
        } catch (SyntaxException | ArithmeticException | NumberFormatException e) {
            return new Verdict(false, "string", "reference answer not understood (" + e.getMessage() + "): compared as text only");
        }
        Expr pe;
        try {
            pe = parseLenient(pred);
        } catch (SyntaxException | ArithmeticException | NumberFormatException e) {
            return new Verdict(false, "string", "answer not understood: " + e.getMessage());
        }
        Depth depth = new Depth();
        boolean equal = same(ge, pe, depth, true);
        boolean hedged = !equal && items(canonical(pe)).size() > 1 && items(canonical(ge)).size() == 1;
        return new Verdict(equal, LAYERS[Math.max(NUMBER, depth.level)], hedged ? "several answers where the reference has one" : null,
                hedged);
    }

    /** {@return the text without presentation: white space, sizing, spacing, dollars} */
    static String presentationFree(String s) {
        return AnswerNormalizer.normalize(LatexLexer.clean(s));
    }

    private static String unwrap(String s) {
        String t = s;
        for (int i = 0; i < 3; i++) {
            Matcher m = WRAPPER.matcher(t);
            if (!m.find()) break;
            t = m.replaceAll("$1").strip();
        }
        return t;
    }

    // ---- structure ----

    private boolean same(Expr a, Expr b, Depth d, boolean top) {
        Deadline.check();
        if (a instanceof Relation ra && b instanceof Relation rb && isEquation(ra) && isEquation(rb)
                && !(ra.terms().getFirst() instanceof Var && rb.terms().getFirst() instanceof Var)
                && !constantEquation(ra) && !constantEquation(rb)) {
            d.reach(STRUCTURE);
            return sameEquation(ra, rb, d);
        }
        if (top && !(a instanceof Relation) && b instanceof Relation rb && inequalitiesOnly(rb)) {
            return false; // a set or interval asked for, an inequality given: Math-Verify's default too
        }
        if (a instanceof Relation ra && b instanceof Relation rb && isInequality(ra) && isInequality(rb)) {
            Set<String> vars = new TreeSet<>(ExprEvaluator.variables(ra));
            vars.addAll(ExprEvaluator.variables(rb));
            if (!vars.isEmpty()) {
                d.reach(STRUCTURE);
                return sameInequality(ra, rb, d);
            }
        }
        Expr x = canonical(a);
        Expr y = canonical(b);
        return switch (x) {
            case Text tx -> y instanceof Text ty && tx.words().replace(" ", "").equals(ty.words().replace(" ", ""));
            case AnswerList lx -> unordered(lx.items(), items(y), d, false);
            case SetOf sx -> (y instanceof SetOf || y instanceof AnswerList) && unordered(sx.items(), items(y), d, true);
            case Bracketed bx -> y instanceof Bracketed by && bx.open() == by.open() && bx.close() == by.close()
                    && pairwise(bx.items(), by.items(), d);
            case Union ux -> y instanceof Union uy && unordered(ux.parts(), uy.parts(), d, false);
            case Matrix mx -> y instanceof Matrix my && sameMatrix(mx, my, d);
            case Relation rx -> y instanceof Relation ry && rx.ops().equals(ry.ops()) && pairwise(rx.terms(), ry.terms(), d);
            default -> isScalar(y) && scalar(x, y, d);
        };
    }

    private static boolean isEquation(Relation r) {
        return r.ops().size() == 1 && r.ops().getFirst().equals("=");
    }

    /** {@code x < 1}, {@code -x \ge -1}: one inequality */
    private static boolean isInequality(Relation r) {
        return r.ops().size() == 1 && Set.of("<", "<=", ">", ">=").contains(r.ops().getFirst());
    }

    private static boolean inequalitiesOnly(Relation r) {
        return r.ops().stream().allMatch(o -> Set.of("<", "<=", ">", ">=").contains(o));
    }

    /** {@code 2 + 3 = 5}: an equation without variables, a computation whose answer is its right side */
    private static boolean constantEquation(Relation r) {
        return isEquation(r) && ExprEvaluator.variables(r).isEmpty();
    }

    private static List<Expr> items(Expr e) {
        return switch (e) {
            case AnswerList l -> l.items();
            case SetOf s -> s.items();
            default -> List.of(e);
        };
    }

    /**
     * {@return the answer in the form compared}: {@code x = 5} is 5, {@code x > 2} is (2, ∞),
     * {@code 1 < x \le 3} is (1, 3], {@code a \pm b} is the list a+b, a-b
     */
    private static Expr canonical(Expr e) {
        switch (e) {
            case Relation rel -> {
                Expr exact = beforeApproximation(rel);
                if (!(exact instanceof Relation r)) return canonical(exact);
                List<Expr> t = r.terms();
                List<String> ops = r.ops();
                if (ops.stream().allMatch("="::equals)) {
                    if (ops.size() > 1) return canonical(t.getLast()); // x = 5+5+1 = 11: the last side
                    if (label(t.get(0)) && !label(t.get(1))) return canonical(t.get(1));
                    if (label(t.get(1)) && !label(t.get(0))) return canonical(t.get(0));
                    if (constantEquation(r)) return canonical(t.get(1));
                    return r;
                }
                Expr interval = interval(t, ops);
                return interval != null ? interval : r;
            }
            case PlusMinus(Expr l, Expr r) -> {
                return canonical(new AnswerList(List.of(e)));
            }
            case AnswerList l -> {
                List<Expr> out = new ArrayList<>();
                for (Expr item : l.items()) {
                    for (Expr variant : signVariants(item)) {
                        Expr c = variant instanceof PlusMinus ? variant : canonical(variant);
                        if (c instanceof AnswerList inner) out.addAll(inner.items());
                        else out.add(c);
                    }
                }
                return new AnswerList(out);
            }
            default -> {
                List<Expr> variants = signVariants(e);
                return variants.size() == 1 ? e : new AnswerList(variants);
            }
        }
    }

    /** The most ± signs expanded in one answer (2^3 = 8 variants). */
    private static final int MAX_PLUS_MINUS = 3;

    /**
     * {@return the answers {@code e} stands for}: one per choice of sign of each ± it holds
     * ({@code \frac{-1\pm\sqrt5}{2}} is two answers), or just {@code e}
     */
    private static List<Expr> signVariants(Expr e) {
        List<Expr> out = variants(e, new int[] {0});
        return out == null ? List.of(e) : out;
    }

    /** null when {@code e} holds no ± (or too many) */
    private static List<Expr> variants(Expr e, int[] count) {
        return switch (e) {
            case PlusMinus(Expr l, Expr r) -> {
                if (++count[0] > MAX_PLUS_MINUS) yield null;
                List<Expr> rs = orSelf(variants(r, count), r);
                List<Expr> out = new ArrayList<>();
                if (l == null) {
                    for (Expr x : rs) { out.add(x); out.add(new Neg(x)); }
                } else {
                    for (Expr a : orSelf(variants(l, count), l)) {
                        for (Expr x : rs) { out.add(new Add(a, x)); out.add(new Sub(a, x)); }
                    }
                }
                yield count[0] > MAX_PLUS_MINUS ? null : out;
            }
            case Add(Expr a, Expr b) -> combine(a, b, count, Add::new);
            case Sub(Expr a, Expr b) -> combine(a, b, count, Sub::new);
            case Expr.Mul(Expr a, Expr b) -> combine(a, b, count, Expr.Mul::new);
            case Expr.Div(Expr a, Expr b) -> combine(a, b, count, Expr.Div::new);
            case Expr.Pow(Expr a, Expr b) -> combine(a, b, count, Expr.Pow::new);
            case Neg(Expr a) -> {
                List<Expr> v = variants(a, count);
                yield v == null ? null : v.stream().map(x -> (Expr) new Neg(x)).toList();
            }
            default -> null;
        };
    }

    private static List<Expr> orSelf(List<Expr> variants, Expr self) {
        return variants == null ? List.of(self) : variants;
    }

    private static List<Expr> combine(Expr a, Expr b, int[] count, java.util.function.BinaryOperator<Expr> op) {
        List<Expr> va = variants(a, count);
        List<Expr> vb = variants(b, count);
        if (va == null && vb == null || count[0] > MAX_PLUS_MINUS) return null;
        List<Expr> out = new ArrayList<>();
        for (Expr x : orSelf(va, a)) {
            for (Expr y : orSelf(vb, b)) out.add(op.apply(x, y));
        }
        return out;
    }

    /**
     * {@return whether {@code e} names the answer rather than being one}: a variable ({@code x =}), a
     * tuple of variables ({@code (p, q) =}) or a product or ratio of them ({@code AB =}, {@code \frac{NO}{BO} =})
     */
    private static boolean label(Expr e) {
        return switch (e) {
            case Var v -> true;
            case Bracketed b -> b.items().stream().allMatch(x -> x instanceof Var);
            case Expr.Mul(Expr a, Expr b) -> label(a) && label(b) && !(a instanceof Bracketed) && !(b instanceof Bracketed);
            case Expr.Div(Expr a, Expr b) -> label(a) && label(b) && !(a instanceof Bracketed) && !(b instanceof Bracketed);
            default -> false;
        };
    }

    /**
     * {@return the exact part of a chain with {@code \approx}}: {@code x = \frac13 \approx 0.33} is
     * {@code x = \frac13}; {@code x \approx 11}, whose only exact side is a label, is 11
     */
    private static Expr beforeApproximation(Relation r) {
        int k = r.ops().indexOf("~=");
        if (k < 0) return r;
        if (k == 0) return label(r.terms().get(0)) ? r.terms().get(1) : r.terms().get(0);
        return new Relation(r.terms().subList(0, k + 1), r.ops().subList(0, k));
    }

    private static final Expr INF = new Const(Const.Kind.INFINITY);

    private static Expr interval(List<Expr> t, List<String> ops) {
        if (ops.stream().anyMatch(o -> o.equals("=") || o.equals("!=") || o.equals("~="))) return null;
        if (ops.size() == 1) {
            boolean varLeft = label(t.get(0));
            if (varLeft == label(t.get(1))) return null;
            Expr c = varLeft ? t.get(1) : t.get(0);
            String op = varLeft ? ops.getFirst() : flip(ops.getFirst());
            return switch (op) {
                case "<" -> new Bracketed('(', ')', List.of(new Neg(INF), c));
                case "<=" -> new Bracketed('(', ']', List.of(new Neg(INF), c));
                case ">" -> new Bracketed('(', ')', List.of(c, INF));
                default -> new Bracketed('[', ')', List.of(c, INF));
            };
        }
        if (ops.size() == 2 && label(t.get(1)) && !label(t.get(0)) && !label(t.get(2))) { // 0 < f(x) < 1 too
            String o1 = ops.get(0);
            String o2 = ops.get(1);
            if (o1.startsWith("<") && o2.startsWith("<")) {
                return new Bracketed(o1.equals("<") ? '(' : '[', o2.equals("<") ? ')' : ']', List.of(t.get(0), t.get(2)));
            }
            if (o1.startsWith(">") && o2.startsWith(">")) {
                return new Bracketed(o2.equals(">") ? '(' : '[', o1.equals(">") ? ')' : ']', List.of(t.get(2), t.get(0)));
            }
        }
        return null;
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            default -> "<=";
        };
    }

    private boolean pairwise(List<Expr> a, List<Expr> b, Depth d) {
        d.reach(STRUCTURE);
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i), d, false)) return false;
        }
        return true;
    }

    /**
     * Lists: a perfect matching between the items, an item written twice counted once (Math-Verify reads
     * lists as sets); sets: every item of each side matches one of the other.
     */
    private boolean unordered(List<Expr> items, List<Expr> others, Depth d, boolean set) {
        d.reach(STRUCTURE);
        List<Expr> a = items.stream().distinct().toList();
        List<Expr> b = others.stream().distinct().toList();
        if (a.size() > MAX_ITEMS || b.size() > MAX_ITEMS) return false;
        if (set) {
            return a.stream().allMatch(x -> b.stream().anyMatch(y -> same(x, y, d, false)))
                    && b.stream().allMatch(y -> a.stream().anyMatch(x -> same(x, y, d, false)));
        }
        if (a.size() != b.size()) return false;
        boolean[] used = new boolean[b.size()];
        outer:
        for (Expr x : a) {
            for (int j = 0; j < b.size(); j++) {
                if (!used[j] && same(x, b.get(j), d, false)) {
                    used[j] = true;
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    private boolean sameMatrix(Matrix a, Matrix b, Depth d) {
        d.reach(STRUCTURE);
        if (a.rows().size() != b.rows().size()) return false;
        for (int i = 0; i < a.rows().size(); i++) {
            if (!pairwise(a.rows().get(i), b.rows().get(i), d)) return false;
        }
        return true;
    }

    /** Two equations are the same when lhs−rhs of one is a constant non-zero multiple of the other's. */
    private boolean sameEquation(Relation a, Relation b, Depth d) {
        Expr f = new Sub(a.terms().get(0), a.terms().get(1));
        Expr g = new Sub(b.terms().get(0), b.terms().get(1));
        return constantMultiple(f, g, d) != null;
    }

    /**
     * Two inequalities are the same when, written {@code f > 0} (or {@code ≥}), they have the same
     * strictness and one's {@code f} is a positive constant multiple of the other's: {@code -x > -1}
     * is {@code x < 1}, {@code 2x \le 6} is {@code x \le 3}.
     */
    private boolean sameInequality(Relation a, Relation b, Depth d) {
        String oa = a.ops().getFirst();
        String ob = b.ops().getFirst();
        if (oa.endsWith("=") != ob.endsWith("=")) return false;
        Complex k = constantMultiple(positivePart(a), positivePart(b), d);
        return k != null && Math.abs(k.im()) < 1e-9 && k.re() > 0;
    }

    /** {@return f with the inequality {@code r} saying f > 0 (or f ≥ 0)} */
    private static Expr positivePart(Relation r) {
        Expr l = r.terms().get(0);
        Expr rt = r.terms().get(1);
        return r.ops().getFirst().startsWith(">") ? new Sub(l, rt) : new Sub(rt, l);
    }

    /** {@return k with f = k·g at every sample point (k a non-zero constant), or null} */
    private Complex constantMultiple(Expr f, Expr g, Depth d) {
        Set<String> vars = new TreeSet<>(ExprEvaluator.variables(f));
        vars.addAll(ExprEvaluator.variables(g));
        if (vars.isEmpty() || vars.size() > MAX_VARIABLES) return null;
        d.reach(SYMBOLIC);
        double tol = ExprEvaluator.hasDecimal(f) || ExprEvaluator.hasDecimal(g) ? Math.max(tolerance, SYMBOLIC_TOLERANCE) : SYMBOLIC_TOLERANCE;
        Complex k = null;
        int valid = 0;
        for (Map<String, Complex> point : points(vars)) {
            Complex fv;
            Complex gv;
            try {
                fv = ExprEvaluator.numeric(f, point);
                gv = ExprEvaluator.numeric(g, point);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!fv.isFinite() || !gv.isFinite()) continue;
            if (gv.abs() < 1e-9 || fv.abs() < 1e-9) {
                if (gv.abs() < 1e-9 && fv.abs() < 1e-9) continue;
                return null;
            }
            Complex ratio = fv.divide(gv);
            if (k == null) k = ratio;
            else if (!ratio.closeTo(k, tol, 0)) return null;
            valid++;
        }
        return valid >= MIN_VALID_POINTS ? k : null;
    }

    // ---- scalars ----

    private static boolean isScalar(Expr e) {
        return !(e instanceof Text || e instanceof AnswerList || e instanceof SetOf || e instanceof Bracketed
                || e instanceof Union || e instanceof Matrix || e instanceof Relation || e instanceof PlusMinus);
    }

    private boolean scalar(Expr a, Expr b, Depth d) {
        if (!isScalar(a) || !isScalar(b)) return false;
        // x% may be written as x or as x/100
        if (a instanceof Percent(Expr x)) return plain(x, b, d) || plain(a, b, d);
        if (b instanceof Percent(Expr y)) return plain(a, y, d) || plain(a, b, d);
        return plain(a, b, d);
    }

    private boolean plain(Expr a, Expr b, Depth d) {
        int ia = infinity(a);
        int ib = infinity(b);
        if (ia != 0 || ib != 0) {
            d.reach(NUMBER);
            return ia == ib;
        }
        boolean decimal = ExprEvaluator.hasDecimal(a) || ExprEvaluator.hasDecimal(b);
        Optional<Rational> ea = ExprEvaluator.exact(a);
        Optional<Rational> eb = ExprEvaluator.exact(b);
        if (ea.isPresent() && eb.isPresent()) {
            d.reach(NUMBER);
            return decimal ? relativelyClose(ea.get(), eb.get()) : ea.get().equals(eb.get());
        }
        if (ea.isEmpty() && ExprEvaluator.rationalForm(a) || eb.isEmpty() && ExprEvaluator.rationalForm(b)) {
            d.reach(NUMBER);
            return false; // a rational too large to compute exactly (10^{-10^{10}}): doubles would round it to 0
        }
        Set<String> vars = new TreeSet<>(ExprEvaluator.variables(a));
        vars.addAll(ExprEvaluator.variables(b));
        if (vars.size() > MAX_VARIABLES) return false;
        try {
            if (vars.isEmpty()) {
                d.reach(NUMERIC);
                Complex va = ExprEvaluator.numeric(a, Map.of());
                Complex vb = ExprEvaluator.numeric(b, Map.of());
                boolean close = va.isFinite() && vb.isFinite()
                        && va.closeTo(vb, decimal ? Math.max(tolerance, NUMERIC_TOLERANCE) : NUMERIC_TOLERANCE, decimal ? 0 : 1e-12);
                // doubles agree to ~12 digits: without a decimal literal, equality must hold at every precision
                return close && (decimal || PreciseCheck.confirmEqual(a, b, vars));
            }
            d.reach(SYMBOLIC);
            int valid = 0;
            double tol = decimal ? Math.max(tolerance, SYMBOLIC_TOLERANCE) : SYMBOLIC_TOLERANCE;
            for (Map<String, Complex> point : points(vars)) {
                Complex va = ExprEvaluator.numeric(a, point);
                Complex vb = ExprEvaluator.numeric(b, point);
                boolean fa = va.isFinite();
                boolean fb = vb.isFinite();
                if (!fa && !fb) continue;
                if (fa != fb) return false;
                if (!va.closeTo(vb, tol, 1e-10)) return false;
                valid++;
            }
            return valid >= MIN_VALID_POINTS && (decimal || PreciseCheck.confirmEqual(a, b, vars));
        } catch (Deadline.Exceeded e) {
            throw e;
        } catch (RuntimeException e) { // an answer an evaluator cannot take (unknown function, no value) is not confirmed
            return false;
        }
    }

    /** {@return +1 for ∞, -1 for -∞, 0 otherwise} */
    private static int infinity(Expr e) {
        if (e instanceof Const c && c.kind() == Const.Kind.INFINITY) return 1;
        if (e instanceof Neg(Expr x)) return -infinity(x);
        return 0;
    }

    private boolean relativelyClose(Rational a, Rational b) {
        if (a.equals(b)) return true;
        BigDecimal x = new BigDecimal(a.num()).divide(new BigDecimal(a.den()), MathContext.DECIMAL64);
        BigDecimal y = new BigDecimal(b.num()).divide(new BigDecimal(b.den()), MathContext.DECIMAL64);
        BigDecimal scale = x.abs().max(y.abs());
        return x.subtract(y).abs().compareTo(scale.multiply(BigDecimal.valueOf(tolerance))) <= 0;
    }

    /** The seeded sample points: values in [0.3, 2.9], fixed per variable name and point index. */
    private static List<Map<String, Complex>> points(Set<String> vars) {
        List<Map<String, Complex>> out = new ArrayList<>(POINTS);
        for (int p = 0; p < POINTS; p++) {
            Map<String, Complex> point = new HashMap<>();
            for (String v : vars) {
                SplittableRandom r = new SplittableRandom(v.hashCode() * 0x9E3779B97F4A7C15L + p);
                point.put(v, Complex.real(0.3 + 2.6 * r.nextDouble()));
            }
            out.add(point);
        }
        return out;
    }
}
