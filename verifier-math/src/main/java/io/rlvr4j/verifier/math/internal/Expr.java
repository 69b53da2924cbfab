package io.rlvr4j.verifier.math.internal;

import java.util.List;

/**
 * A parsed answer: the tree {@link LatexParser} builds and {@link Equivalence} compares. Numbers stay
 * exact ({@link Num}); structure that matters for equality is kept explicitly (bracket kinds of
 * intervals and tuples, sets, matrices, relations), and nothing is simplified at parse time.
 */
sealed interface Expr {

    /**
     * A number literal.
     *
     * @param value its exact value
     * @param decimal whether it was written with a decimal point (it may then be a rounded value)
     */
    record Num(Rational value, boolean decimal) implements Expr {}

    /** A variable (one letter, possibly with a subscript such as {@code x_1}). */
    record Var(String name) implements Expr {}

    /** π, e, i or ∞. */
    record Const(Kind kind) implements Expr {
        enum Kind { PI, E, I, INFINITY }
    }

    record Add(Expr left, Expr right) implements Expr {}

    record Sub(Expr left, Expr right) implements Expr {}

    record Mul(Expr left, Expr right) implements Expr {}

    record Div(Expr left, Expr right) implements Expr {}

    record Pow(Expr base, Expr exponent) implements Expr {}

    record Neg(Expr operand) implements Expr {}

    /** {@code a ± b} (or {@code ±b} with {@code left} null): two answers. */
    record PlusMinus(Expr left, Expr right) implements Expr {}

    /** A function application: sin, cos, tan, cot, sec, csc, arcsin, arccos, arctan, sinh, cosh, tanh, ln, exp, sqrt, abs, floor, ceil, fact. */
    record Fn(String name, Expr arg) implements Expr {}

    /** {@code \log_b x}, {@code \sqrt[n]{x}} (as {@code root}), {@code \binom{n}{k}}. */
    record Fn2(String name, Expr first, Expr second) implements Expr {}

    /** {@code x\%}. */
    record Percent(Expr value) implements Expr {}

    /**
     * A bracketed list of two or more items: a tuple, a point or an interval.
     *
     * @param open {@code (} or {@code [}
     * @param close {@code )} or {@code ]}
     */
    record Bracketed(char open, char close, List<Expr> items) implements Expr {}

    /** {@code \{a, b\}}: order and repetition do not matter. */
    record SetOf(List<Expr> items) implements Expr {}

    /** Answers separated by top-level commas without brackets: order does not matter. */
    record AnswerList(List<Expr> items) implements Expr {}

    /** {@code A \cup B \cup …}. */
    record Union(List<Expr> parts) implements Expr {}

    /** A matrix of any {@code *matrix} environment. */
    record Matrix(List<List<Expr>> rows) implements Expr {}

    /**
     * A chain of relations {@code a < b \le c} or an equation {@code a = b}.
     *
     * @param terms the n+1 sides
     * @param ops the n operators: {@code = ≠ < ≤ > ≥}
     */
    record Relation(List<Expr> terms, List<String> ops) implements Expr {}

    /** Words: {@code \text{Monday}}, normalised to lower case with single spaces. */
    record Text(String words) implements Expr {}
}
