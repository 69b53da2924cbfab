package io.rlvr4j.data.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The arithmetic problems of one configuration, as a pure function of the index; see
 * {@link ArithmeticDataSource} for the format. Immutable and thread-safe.
 */
final class ArithmeticProblems {

    /** Which side of the held-out split a stream draws from. */
    enum Split {
        TRAIN, EVAL
    }

    /** One in {@value} expressions belongs to the eval split. */
    static final int EVAL_MODULUS = 8;
    /** Draws before giving up on finding an expression of the split (only reachable with a tiny expression space). */
    private static final int MAX_ATTEMPTS = 10_000;

    private final long seed;
    private final Split split;
    private final int minOps;
    private final int maxOps;
    private final int maxOperand;
    private final char[] operators;
    private final double answerOnlyFraction;

    ArithmeticProblems(long seed, Split split, int minOps, int maxOps, int maxOperand, String operators,
            double answerOnlyFraction) {
        this.seed = seed;
        this.split = split;
        this.minOps = minOps;
        this.maxOps = maxOps;
        this.maxOperand = maxOperand;
        this.operators = operators.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString().toCharArray();
        this.answerOnlyFraction = answerOnlyFraction;
    }

    /** {@return the split an expression belongs to}: a fixed hash of its text, independent of any seed */
    static Split splitOf(String expression) {
        long h = 0xCBF29CE484222325L; // FNV-1a 64
        for (int i = 0; i < expression.length(); i++) {
            h = (h ^ expression.charAt(i)) * 0x100000001B3L;
        }
        return Long.remainderUnsigned(Seeds.splitMix(h), EVAL_MODULUS) == 0 ? Split.EVAL : Split.TRAIN;
    }

    /** {@return whether the first problems of this split can be drawn} (false for a tiny expression space) */
    boolean splitIsInhabited() {
        for (long i = 0; i < 4; i++) {
            if (expression(i) == null) return false;
        }
        return true;
    }

    /** {@return problem {@code i}} */
    Problem problem(long i) {
        String expr = expression(i);
        if (expr == null) {
            throw new IllegalStateException("no " + splitName() + " expression found in " + MAX_ATTEMPTS
                    + " draws for problem " + i + "; raise max_operand or max_ops");
        }
        Solution s = solve(expr);
        String id = "arith-" + splitName() + "-" + seed + "-" + i;
        String solution = answerOnly(i) ? "\\boxed{" + s.answer() + "}" : s.text();
        return new Problem(id, "math", expr + "=", List.of(), s.answer().toString(),
                Map.of("solution", solution, "ops", s.ops()));
    }

    /** {@return whether problem {@code i}'s solution skips the work}: a seeded draw, independent of the expression's */
    private boolean answerOnly(long i) {
        if (answerOnlyFraction <= 0) return false;
        return Seeds.uniform(seed, split.ordinal(), i, -1) < answerOnlyFraction;
    }

    /** {@return the expression of problem {@code i} (without {@code =}), or null if none of the split was drawn} */
    private String expression(long i) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, split.ordinal(), i, attempt));
            int ops = minOps + rnd.nextInt(maxOps - minOps + 1);
            StringBuilder sb = new StringBuilder();
            sb.append(rnd.nextInt(maxOperand + 1));
            for (int k = 0; k < ops; k++) {
                sb.append(operators[rnd.nextInt(operators.length)]).append(rnd.nextInt(maxOperand + 1));
            }
            String expr = sb.toString();
            if (splitOf(expr) == split) return expr;
        }
        return null;
    }

    /**
     * A worked solution.
     *
     * @param text one {@code a op b = c} line per operation, then {@code \boxed{answer}}
     * @param answer the value of the expression
     * @param ops the number of operations
     */
    record Solution(String text, BigInteger answer, int ops) {}

    /**
     * Evaluates {@code expression} (non-negative integer operands joined by {@code + - *}) with the usual
     * precedence, writing one line per operation: first the products, left to right, then the sums and
     * differences, left to right.
     */
    static Solution solve(String expression) {
        List<BigInteger> operands = new ArrayList<>();
        List<Character> ops = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '+' || c == '-' || c == '*') {
                operands.add(new BigInteger(expression.substring(start, i)));
                ops.add(c);
                start = i + 1;
            }
        }
        operands.add(new BigInteger(expression.substring(start)));

        StringBuilder steps = new StringBuilder();
        List<BigInteger> terms = new ArrayList<>();
        List<Character> signs = new ArrayList<>();
        terms.add(operands.getFirst());
        for (int k = 0; k < ops.size(); k++) {
            BigInteger next = operands.get(k + 1);
            if (ops.get(k) == '*') {
                BigInteger left = terms.removeLast();
                BigInteger product = left.multiply(next);
                steps.append(left).append('*').append(next).append('=').append(product).append('\n');
                terms.add(product);
            } else {
                signs.add(ops.get(k));
                terms.add(next);
            }
        }
        BigInteger acc = terms.getFirst();
        for (int k = 0; k < signs.size(); k++) {
            BigInteger next = terms.get(k + 1);
            BigInteger result = signs.get(k) == '+' ? acc.add(next) : acc.subtract(next);
            steps.append(acc).append(signs.get(k)).append(next).append('=').append(result).append('\n');
            acc = result;
        }
        steps.append("\\boxed{").append(acc).append('}');
        return new Solution(steps.toString(), acc, ops.size());
    }

    /** {@return an endless stream: position {@code p} is problem {@code p}} */
    ProblemStream stream() {
        return PositionalStream.endless(this::problem);
    }

    private String splitName() {
        return split.name().toLowerCase(java.util.Locale.ROOT);
    }
}
