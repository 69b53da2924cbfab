package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.verifier.math.internal.Expr.Add;
import io.rlvr4j.verifier.math.internal.Expr.AnswerList;
import io.rlvr4j.verifier.math.internal.Expr.Bracketed;
import io.rlvr4j.verifier.math.internal.Expr.Const;
import io.rlvr4j.verifier.math.internal.Expr.Div;
import io.rlvr4j.verifier.math.internal.Expr.Fn;
import io.rlvr4j.verifier.math.internal.Expr.Fn2;
import io.rlvr4j.verifier.math.internal.Expr.Matrix;
import io.rlvr4j.verifier.math.internal.Expr.Mul;
import io.rlvr4j.verifier.math.internal.Expr.Neg;
import io.rlvr4j.verifier.math.internal.Expr.Num;
import io.rlvr4j.verifier.math.internal.Expr.Percent;
import io.rlvr4j.verifier.math.internal.Expr.PlusMinus;
import io.rlvr4j.verifier.math.internal.Expr.Pow;
import io.rlvr4j.verifier.math.internal.Expr.Relation;
import io.rlvr4j.verifier.math.internal.Expr.SetOf;
import io.rlvr4j.verifier.math.internal.Expr.Sub;
import io.rlvr4j.verifier.math.internal.Expr.Text;
import io.rlvr4j.verifier.math.internal.Expr.Union;
import io.rlvr4j.verifier.math.internal.Expr.Var;
import io.rlvr4j.verifier.math.internal.LatexLexer.Kind;
import io.rlvr4j.verifier.math.internal.LatexLexer.SyntaxException;
import io.rlvr4j.verifier.math.internal.LatexLexer.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser from a LaTeX (or plain) final answer to an {@link Expr}, written for
 * answers, not documents, with the precedence of ordinary mathematics:
 * <pre>
 *   answer   := relation ((',' | ';') relation)*          several answers, order free
 *   relation := ratio (relop ratio)*                       = ≠ &lt; ≤ &gt; ≥ ≈; 'x \in S' is S
 *   ratio    := union (':' union)?                          a:b is a/b
 *   union    := sum ('\cup' sum)*
 *   sum      := term (('+' | '-' | '\pm' | '\mp') term)*
 *   term     := unary (('*' | '\cdot' | '\times' | '/' | '\div') unary | factor)*   juxtaposition multiplies
 *   unary    := ('-' | '+' | '\pm') unary | power          so -2^2 is -(2^2) = -4
 *   power    := postfix ('^' exponent)?                     right-associative
 *   postfix  := atom ('!' | '%' | '\degree')*
 * </pre>
 * Function arguments without parentheses run over the following product ({@code \sin 2x} is
 * sin(2x)) up to the next function; {@code \sin^2 x} is (sin x)², {@code \sin^{-1} x} is arcsin x;
 * {@code \log} without a base is base 10; {@code 2\frac12} is the mixed number 5/2; a number followed by
 * {@code \overline{digits}} is a repeating decimal; words after a number ({@code 5\text{ cm}}) are
 * units and dropped. Anything else raises {@link SyntaxException}, and the caller falls back to comparing
 * text: the parser never guesses.
 */
final class LatexParser {

    /** Answers longer than this are not parsed (they are compared as text only). */
    static final int MAX_LENGTH = 1000;
    private static final int MAX_DEPTH = 64;
    /** The largest power of ten a scientific-notation literal may carry and stay exact. */
    private static final int MAX_EXPONENT = 1000;

    private static final Set<String> FUNCTIONS = Set.of("sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos",
            "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp", "lg");
    private static final Map<String, String> INVERSE = Map.of("sin", "arcsin", "cos", "arccos", "tan", "arctan");
    private static final Set<String> TEXT_COMMANDS = Set.of("text", "textbf", "textit", "textrm", "textnormal", "mbox",
            "mathrm", "mathbf", "mathit", "mathsf", "operatorname", "rm", "bf", "emph", "textsf", "mathtt", "texttt");
    private static final Map<String, String> RELATIONS = Map.ofEntries(Map.entry("=", "="), Map.entry("<", "<"),
            Map.entry(">", ">"), Map.entry("le", "<="), Map.entry("leq", "<="), Map.entry("leqslant", "<="),
            Map.entry("ge", ">="), Map.entry("geq", ">="), Map.entry("geqslant", ">="), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("ne", "!="), Map.entry("neq", "!="), Map.entry("approx", "~="));
    private static final Pattern JOINERS = Pattern.compile(
            "\\\\(?:text|textrm|textnormal|mbox|mathrm)\\s*\\{\\s*(?:and|or)\\s*}|(?<=[\\s}$)\\d])(?:and|or)(?=[\\s\\\\$(\\d])");
    private static final Pattern DOUBLE_COMMA = Pattern.compile(",\\s*,");
    private static final Pattern PERCENT_WORDS = Pattern.compile("(?<=[\\d}])\\s*(?:\\\\text\\{\\s*)?(?i:percent(?:age)?|pct)(?:\\s*})?\\s*$");
    private static final Pattern BARE_WORDS = Pattern.compile("\\p{L}[\\p{L} ]*\\p{L}");
    private static final Pattern WORDS = Pattern.compile("[\\p{L} .'’/-]*\\p{L}[\\p{L} .'’/-]*");
    private static final Pattern UNIT_WORDS = Pattern.compile(
            "(?i)\\s*(?:square |sq\\.? |cubic )?(?:units?|cm|mm|km|m|meters?|metres?|inch(?:es)?|in|feet|foot|ft|yards?|yd|miles?|mi"
                    + "|kg|g|grams?|lbs?|pounds?|ounces?|oz|liters?|litres?|ml|l|seconds?|sec|s|minutes?|min|hours?|hrs?|h|days?"
                    + "|weeks?|months?|years?|dollars?|cents?|euros?|degrees?|deg|radians?|rad|mph|km/h|percent|people|students"
                    + "|ways|times|points|items|marbles|balls|books|apples|coins|cups|pages|boxes|cars|handshakes|games)\\.?\\s*");

    private final List<Token> tokens;
    private int pos;
    private int depth;
    /** When true, '|' ends an expression (we are inside |…|). */
    private int absDepth;

    private LatexParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** {@return the parsed answer} @throws SyntaxException if it is not an answer this parser reads */
    static Expr parse(String text) {
        if (text.length() > MAX_LENGTH) throw new SyntaxException("longer than " + MAX_LENGTH + " characters");
        String t = stripTrailingUnits(LatexLexer.clean(text).strip());
        // "1, 2 and 3", "6 \text{ or } 8": words that join answers are commas
        t = JOINERS.matcher(t).replaceAll(",");
        t = DOUBLE_COMMA.matcher(t).replaceAll(",");
        if (t.endsWith(".") && !t.matches(".*\\d\\.")) t = t.substring(0, t.length() - 1).strip();
        if (BARE_WORDS.matcher(t).matches()) return text(t); // yes, Monday, even: words, not a product of variables
        LatexParser p = new LatexParser(LatexLexer.tokenize(t));
        if (p.peek().kind() == Kind.EOF) throw new SyntaxException("empty answer");
        Expr e = p.answer();
        if (p.peek().kind() != Kind.EOF) throw new SyntaxException("unexpected '" + p.peek().text() + "'");
        return e;
    }

    /** {@code 5 cm}, {@code 12 square units}: bare unit words after a number (in {@code \text} they are handled while parsing); {@code 28 percent} is {@code 28%}. */
    private static String stripTrailingUnits(String s) {
        java.util.regex.Matcher pct = PERCENT_WORDS.matcher(s);
        if (pct.find()) return s.substring(0, pct.start()) + "%";
        int cut = s.length();
        // find the last digit or closing brace; what follows must be unit words only
        int last = -1;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (Character.isDigit(c) || c == '}' || c == ')') {
                last = i;
                break;
            }
        }
        if (last >= 0 && last < s.length() - 1) {
            String tail = s.substring(last + 1);
            if (UNIT_WORDS.matcher(tail).matches() && tail.length() >= 2 && Character.isWhitespace(tail.charAt(0))) cut = last + 1;
        }
        return s.substring(0, cut);
    }

    // ---- grammar ----

    private Expr answer() {
        List<Expr> items = new ArrayList<>();
        items.add(relation());
        while (peek().sym(",") || peek().sym(";")) {
            next();
            if (atEnd()) throw new SyntaxException("a list that ends in a comma (\"1, 2, 3, …\" is not a finite answer)");
            items.add(relation());
        }
        return items.size() == 1 ? items.getFirst() : new AnswerList(items);
    }

    private boolean atEnd() {
        Token t = peek();
        return t.kind() == Kind.EOF || t.sym("}") || t.sym(")") || t.sym("]") || t.cmd("}");
    }

    private Expr relation() {
        enter();
        try {
            List<Expr> terms = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            terms.add(ratio());
            while (true) {
                Token t = peek();
                if (t.cmd("in") && terms.size() == 1 && terms.getFirst() instanceof Var) {
                    next();
                    terms.set(0, ratio()); // x \in S  is  S
                    continue;
                }
                String op = relop(t);
                if (op == null) break;
                next();
                if (op.equals("<") && peek().sym("=")) { next(); op = "<="; }
                if (op.equals(">") && peek().sym("=")) { next(); op = ">="; }
                ops.add(op);
                terms.add(ratio());
            }
            return ops.isEmpty() ? terms.getFirst() : new Relation(terms, ops);
        } finally {
            depth--;
        }
    }

    private static String relop(Token t) {
        boolean symbol = t.kind() == Kind.SYM && (t.text().equals("=") || t.text().equals("<") || t.text().equals(">"));
        boolean word = t.kind() == Kind.CMD && Character.isLetter(t.text().charAt(0));
        return symbol || word ? RELATIONS.get(t.text()) : null;
    }

    /** {@code 7:32} is the ratio 7/32; a ratio of three parts ({@code 2:3:4}) is not a number and not read. */
    private Expr ratio() {
        Expr first = union();
        if (!peek().sym(":")) return first;
        next();
        Expr second = union();
        if (peek().sym(":")) throw new SyntaxException("a ratio of three or more parts");
        return new Div(first, second);
    }

    private Expr union() {
        Expr first = sum();
        if (!peek().cmd("cup")) return first;
        List<Expr> parts = new ArrayList<>(List.of(first));
        while (peek().cmd("cup")) {
            next();
            parts.add(sum());
        }
        return new Union(parts);
    }

    private Expr sum() {
        Expr left = term();
        while (true) {
            Token t = peek();
            if (t.sym("+")) { next(); left = new Add(left, term()); }
            else if (t.sym("-")) { next(); left = new Sub(left, term()); }
            else if (t.cmd("pm") || t.cmd("mp")) { next(); left = new PlusMinus(left, term()); }
            else return left;
        }
    }

    private Expr term() {
        Expr left = unary();
        while (true) {
            Token t = peek();
            if (t.sym("*") || t.cmd("cdot") || t.cmd("times") || t.cmd("ast")) {
                next();
                left = new Mul(left, unary());
            } else if (t.sym("/") || t.cmd("div")) {
                next();
                left = new Div(left, unary());
            } else if (startsFactor(t)) {
                if (t.kind() == Kind.NUM && tokens.get(pos - 1).kind() == Kind.NUM && (left instanceof Num || left instanceof Neg(Num w))) {
                    // 4 4/9 and -4 4/9 (the minus applies to the whole mixed number), 4 4/9% too
                    left = left instanceof Num whole ? mixedPercent(spacedMixedNumber(whole))
                            : new Neg(mixedPercent(spacedMixedNumber((Num) ((Neg) left).operand())));
                    continue;
                }
                Expr right = power();
                if (right instanceof Text || right instanceof Pow(Text u, Expr ignored)) {
                    // a unit (5 \text{cm}^2) ends a quantity: nothing may follow it but an operator or the end
                    if (startsFactor(peek())) throw new SyntaxException("words between two parts of an answer");
                    continue;
                }
                left = mixedNumber(left, right) ? new Add(left, right) : new Mul(left, right);
            } else {
                return left;
            }
        }
    }

    /**
     * {@code 4 4/9}: an integer, a space, then a proper fraction of integers is a mixed number (40/9).
     * Any other pair of numbers side by side ({@code 11 6/6}, {@code 2 3}) means nothing certain and is
     * rejected.
     */
    private Num spacedMixedNumber(Num whole) {
        Token b = next();
        if (!whole.value().isInteger() || whole.decimal() || !peek().sym("/")) throw new SyntaxException("two numbers side by side");
        next();
        Token c = next();
        if (c.kind() != Kind.NUM || b.text().contains(".") || c.text().contains(".") || b.text().contains("e") || c.text().contains("e")) {
            throw new SyntaxException("two numbers side by side");
        }
        Rational num = Rational.ofDecimal(b.text());
        Rational den = Rational.ofDecimal(c.text());
        if (den.signum() == 0 || num.compareTo(den) >= 0) throw new SyntaxException(b.text() + "/" + c.text() + " is not a proper fraction");
        Rational frac = num.divide(den);
        return new Num(whole.value().signum() < 0 ? whole.value().subtract(frac) : whole.value().add(frac), false);
    }

    /**
     * {@code 4 4/9%} is 40/900 and only that: a percent sign after a mixed number scales the whole
     * number, and, unlike {@code 50%}, the unscaled value is not an accepted reading.
     */
    private Expr mixedPercent(Num mixed) {
        if (!peek().sym("%")) return mixed;
        next();
        return new Num(mixed.value().divide(Rational.of(100)), false);
    }

    /** {@code 2\frac{1}{2}}: an integer written right before a fraction of integers is a mixed number. */
    private static boolean mixedNumber(Expr left, Expr right) {
        return left instanceof Num n && !n.decimal() && n.value().isInteger() && n.value().signum() >= 0
                && right instanceof Div(Num a, Num b) && !a.decimal() && !b.decimal() && a.value().isInteger() && b.value().isInteger()
                && a.value().signum() > 0 && a.value().compareTo(b.value()) < 0;
    }

    private Expr unary() {
        Token t = peek();
        if (t.sym("-")) { next(); return new Neg(unary()); }
        if (t.sym("+")) { next(); return unary(); }
        if (t.cmd("pm") || t.cmd("mp")) { next(); return new PlusMinus(null, unary()); }
        return power();
    }

    private Expr power() {
        Expr base = postfix();
        if (peek().sym("^")) {
            next();
            Expr exponent = exponent();
            base = postfixOps(new Pow(base, exponent));
        }
        return base;
    }

    private Expr exponent() {
        Token t = peek();
        if (t.sym("-")) { next(); return new Neg(exponent()); }
        if (t.sym("{")) return group();
        Expr e = atom();
        if (peek().sym("^")) { next(); return new Pow(e, exponent()); }
        return e;
    }

    private Expr postfix() {
        return postfixOps(atom());
    }

    private Expr postfixOps(Expr a) {
        while (true) {
            Token t = peek();
            if (t.sym("!")) { next(); a = new Fn("fact", a); }
            else if (t.sym("%")) { next(); a = new Percent(a); }
            else if (t.cmd("degree")) { next(); }
            else if (t.sym("'") || t.cmd("prime")) throw new SyntaxException("derivative marks are not answers");
            else return a;
        }
    }

    private boolean startsFactor(Token t) {
        return switch (t.kind()) {
            case NUM, LETTER -> true;
            case SYM -> t.text().equals("(") || t.text().equals("{") || t.text().equals("|") && absDepth == 0;
            case CMD -> FUNCTIONS.contains(t.text()) || TEXT_COMMANDS.contains(t.text()) || Set.of("frac", "sqrt", "pi", "binom",
                    "lfloor", "lceil", "begin", "infty", "overline", "e", "vert", "lvert").contains(t.text());
            default -> false;
        };
    }

    private Expr atom() {
        enter();
        try {
            Token t = next();
            return switch (t.kind()) {
                case NUM -> number(t.text());
                case LETTER -> letter(t.text());
                case SYM -> switch (t.text()) {
                    case "(", "[" -> bracketed(t.text().charAt(0));
                    case "{" -> braceRest();
                    case "|" -> abs("|");
                    default -> throw new SyntaxException("unexpected '" + t.text() + "'");
                };
                case CMD -> command(t.text());
                case EOF -> throw new SyntaxException("the answer ends too early");
            };
        } finally {
            depth--;
        }
    }

    private Expr number(String digits) {
        int e = Math.max(digits.indexOf('e'), digits.indexOf('E'));
        if (e >= 0 && Math.abs(Long.parseLong(digits.substring(e + 1).replace("+", ""))) > MAX_EXPONENT) {
            throw new SyntaxException("exponent too large");
        }
        boolean decimal = digits.contains(".") && !digits.endsWith(".");
        Num n = new Num(Rational.ofDecimal(digits.endsWith(".") ? digits.substring(0, digits.length() - 1) : digits), decimal);
        // 0.1\overline{6}: a repeating decimal is exact
        if (peek().cmd("overline") && !digits.contains("e")) {
            next();
            String rep = rawGroup().strip();
            if (!rep.matches("\\d{1,50}")) throw new SyntaxException("\\overline{" + rep + "} is not a digit block");
            return new Num(repeating(digits, rep), false);
        }
        return n;
    }

    /** {@return the value of {@code fixed} followed by {@code rep} repeated forever}, e.g. 0.1 and 6 → 1/6 */
    private static Rational repeating(String fixed, String rep) {
        String f = fixed.contains(".") ? fixed : fixed + ".";
        int decimals = f.length() - f.indexOf('.') - 1;
        Rational base = Rational.ofDecimal(f.endsWith(".") ? f + "0" : f);
        Rational block = Rational.of(new BigInteger(rep), BigInteger.TEN.pow(rep.length()).subtract(BigInteger.ONE));
        return base.add(block.divide(Rational.of(BigInteger.TEN.pow(decimals), BigInteger.ONE)));
    }

    private Expr letter(String l) {
        String name = l;
        if (peek().sym("_")) { // x_1, a_{n}
            next();
            Token s = peek();
            if (s.sym("{")) name = l + "_" + rawGroup().strip();
            else { next(); name = l + "_" + s.text(); }
            return new Var(name);
        }
        return switch (l) {
            case "e" -> new Const(Const.Kind.E);
            case "i" -> new Const(Const.Kind.I);
            default -> new Var(l);
        };
    }

    /** After '(' or '[': a group, or a tuple/interval of two or more items with its bracket kinds. */
    private Expr bracketed(char open) {
        List<Expr> items = new ArrayList<>();
        items.add(relation());
        while (peek().sym(",") || peek().sym(";")) { // (0;-2;6): semicolons separate coordinates too
            next();
            items.add(relation());
        }
        Token close = next();
        if (!close.sym(")") && !close.sym("]")) throw new SyntaxException("missing ) or ]");
        char c = close.text().charAt(0);
        if (items.size() == 1) {
            if ((open == '(') != (c == ')')) throw new SyntaxException("mismatched brackets around one item");
            return items.getFirst();
        }
        return new Bracketed(open, c, List.copyOf(items));
    }

    /** After '{': a group, possibly {@code {n \choose k}}. */
    private Expr braceRest() {
        Expr inner = answer();
        if (peek().cmd("choose")) {
            next();
            Expr k = answer();
            expectSym("}");
            return new Fn2("binom", inner, k);
        }
        expectSym("}");
        return inner;
    }

    private Expr group() {
        Token t = peek();
        if (t.sym("{")) {
            next();
            return braceRest();
        }
        // one-token argument: \frac12 takes the digits one at a time
        if (t.kind() == Kind.NUM && t.text().length() > 1 && t.text().chars().allMatch(Character::isDigit)) {
            tokens.set(pos, new Token(Kind.NUM, t.text().substring(1), false));
            return new Num(Rational.of(t.text().charAt(0) - '0'), false);
        }
        return atom();
    }

    private Expr command(String name) {
        switch (name) {
            case "frac": {
                Expr a = group();
                Expr b = group();
                return new Div(a, b);
            }
            case "sqrt": {
                if (peek().sym("[")) {
                    next();
                    Expr n = sum();
                    expectSym("]");
                    return new Fn2("root", n, group());
                }
                return new Fn("sqrt", group());
            }
            case "binom": {
                Expr n = group();
                return new Fn2("binom", n, group());
            }
            case "pi": return new Const(Const.Kind.PI);
            case "infty", "infin": return new Const(Const.Kind.INFINITY);
            case "e": return new Const(Const.Kind.E);
            case "lfloor": return closed("floor", "rfloor");
            case "lceil": return closed("ceil", "rceil");
            case "vert", "lvert": return abs(name.equals("vert") ? "vert" : "rvert");
            case "{": {
                List<Expr> items = new ArrayList<>();
                if (!peek().cmd("}")) {
                    items.add(relation());
                    while (peek().sym(",") || peek().sym(";")) {
                        next();
                        items.add(relation());
                    }
                }
                Token c = next();
                if (!c.cmd("}")) throw new SyntaxException("missing \\}");
                return new SetOf(List.copyOf(items));
            }
            case "begin": return matrix();
            case "emptyset", "varnothing": return new SetOf(List.of());
            default:
                if (TEXT_COMMANDS.contains(name)) return text(rawGroup());
                if (FUNCTIONS.contains(name)) return function(name);
                throw new SyntaxException("unsupported command \\" + name);
        }
    }

    private Expr closed(String fn, String closer) {
        Expr inner = sum();
        if (!next().cmd(closer)) throw new SyntaxException("missing \\" + closer);
        return new Fn(fn, inner);
    }

    private Expr abs(String closer) {
        absDepth++;
        try {
            Expr inner = sum();
            Token c = next();
            boolean ok = closer.equals("|") ? c.sym("|") : c.cmd(closer) || c.cmd("vert");
            if (!ok) throw new SyntaxException("missing closing |");
            return new Fn("abs", inner);
        } finally {
            absDepth--;
        }
    }

    /** {@code \text{…}}: words become {@link Text}; anything else (\text{2}, \text{(B)}) is parsed as an answer. */
    private static Expr text(String content) {
        String c = content.strip();
        if (c.isEmpty()) throw new SyntaxException("empty \\text{}");
        if (c.equals("e")) return new Const(Const.Kind.E);
        if (c.equals("i")) return new Const(Const.Kind.I);
        if (WORDS.matcher(c).matches()) {
            return new Text(c.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT).replaceAll("[.]$", ""));
        }
        return LatexParser.parse(c);
    }

    private Expr function(String name) {
        String fn = name.equals("lg") ? "log" : name;
        Expr power = null;
        Expr base = null;
        if (fn.equals("log") && peek().sym("_")) {
            next();
            base = group();
        }
        if (peek().sym("^")) {
            next();
            power = exponent();
            if (power instanceof Neg(Num n) && n.value().equals(Rational.ONE) && INVERSE.containsKey(fn)) {
                fn = INVERSE.get(fn);
                power = null;
            }
        }
        Expr arg;
        if (peek().sym("(")) {
            next();
            arg = relation();
            expectSym(")");
            arg = postfixOps(arg);
        } else if (peek().sym("{")) {
            arg = group();
        } else {
            // \sin 2x, \log 100: the argument is the product that follows, up to the next function or operator
            arg = power();
            while (startsFactor(peek()) && !(peek().kind() == Kind.CMD && FUNCTIONS.contains(peek().text()))) {
                arg = new Mul(arg, power());
            }
        }
        Expr value = base != null ? new Fn2("log", base, arg)
                : fn.equals("log") ? new Fn2("log", new Num(Rational.of(10), false), arg) : new Fn(fn, arg);
        return power == null ? value : new Pow(value, power);
    }

    private Expr matrix() {
        String env = rawGroup().strip();
        if (!env.endsWith("matrix") && !env.equals("array")) throw new SyntaxException("unsupported environment " + env);
        if (env.equals("array") && peek().sym("{")) rawGroup(); // column spec
        List<List<Expr>> rows = new ArrayList<>();
        List<Expr> row = new ArrayList<>();
        while (true) {
            if (peek().cmd("end")) {
                next();
                rawGroup();
                break;
            }
            if (peek().kind() == Kind.EOF) throw new SyntaxException("missing \\end{" + env + "}");
            row.add(sum());
            Token t = peek();
            if (t.sym("&")) {
                next();
            } else if (t.cmd("\\")) {
                next();
                rows.add(List.copyOf(row));
                row = new ArrayList<>();
            } else if (!t.cmd("end")) {
                throw new SyntaxException("unexpected '" + t.text() + "' in a matrix");
            }
        }
        if (!row.isEmpty()) rows.add(List.copyOf(row));
        if (rows.isEmpty()) throw new SyntaxException("empty matrix");
        int width = rows.getFirst().size();
        for (List<Expr> r : rows) if (r.size() != width) throw new SyntaxException("ragged matrix");
        return new Matrix(List.copyOf(rows));
    }

    // ---- tokens ----

    /** {@return the raw text of a brace group}, rebuilt from its tokens */
    private String rawGroup() {
        expectSym("{");
        StringBuilder sb = new StringBuilder();
        int level = 1;
        while (true) {
            Token t = next();
            if (t.kind() == Kind.EOF) throw new SyntaxException("missing }");
            if (t.sym("{")) level++;
            if (t.sym("}") && --level == 0) return sb.toString();
            if (t.spaced()) sb.append(' ');
            sb.append(t.kind() == Kind.CMD ? "\\" + t.text() + (Character.isLetter(t.text().charAt(0)) ? " " : "") : t.text());
        }
    }

    private void expectSym(String s) {
        Token t = next();
        if (!t.sym(s)) throw new SyntaxException("expected '" + s + "' but found '" + t.text() + "'");
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Deadline.check();
        Token t = tokens.get(pos);
        if (t.kind() != Kind.EOF) pos++;
        return t;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw new SyntaxException("nested deeper than " + MAX_DEPTH);
    }
}
