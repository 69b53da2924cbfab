package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;

/**
 * An endless, seeded generator of multi-step integer arithmetic problems with worked solutions, for
 * SFT warm-up and RL of a tiny character-level model (where GSM8K is out of reach).
 *
 * <p>Format (no words: the model reads characters). The prompt is the expression followed by
 * {@code =}; the solution, in {@code metadata.solution}, evaluates it with the usual precedence
 * ({@code *} before {@code +}/{@code -}, each left to right), one binary operation per line, then the
 * boxed answer:
 * <pre>
 *   prompt:   7+3*2-4=
 *   solution: 3*2=6
 *             7+6=13
 *             13-4=9
 *             \boxed{9}
 *   answer:   9            (may be negative: 2-7= … \boxed{-5})
 * </pre>
 * Operands are integers in {@code [0, max_operand]}; there are {@code min_ops..max_ops} operations.
 * With the defaults a prompt is at most 8 characters and a solution at most about 30. The id is
 * {@code arith-<split>-<seed>-<i>}, the domain {@code math}, and {@code metadata.ops} holds the
 * number of operations.
 *
 * <p>Splits are disjoint by construction: every expression belongs to exactly one split by a fixed
 * hash of its text (one in eight expressions is {@code eval}, the rest {@code train}), independent of
 * the seed, so an eval stream never contains a training expression, whatever seeds the two use.
 * Problem {@code i} is a pure function of (settings, i), so {@link ProblemStream#seek(long)} is O(1).
 *
 * <p>Settings: {@code seed} (0), {@code min_ops} (2), {@code max_ops} (3), {@code max_operand} (9),
 * {@code operators} ({@code +-*}, any non-empty subset of those characters), {@code split}
 * ({@code train} or {@code eval}; default train), {@code answer_only_fraction} (0: the fraction of
 * problems, drawn from the seed, whose solution skips the work and is only {@code \boxed{answer}}).
 *
 * <p>{@code answer_only_fraction} makes SFT data of mixed quality, as real SFT sets are: a model
 * warmed up on it sometimes works a problem out and sometimes blurts an answer, which a small model
 * gets wrong far more often. An outcome reward then has something to teach that SFT could not: that
 * working it out pays (the built-in default run shows response length and accuracy rising together).
 */
public final class ArithmeticDataSource implements DataSource {

    /** The most operations a problem may have: longer chains stop being a warm-up. */
    static final int MAX_OPS = 12;
    /** The largest operand: keeps prompts short. */
    static final int MAX_OPERAND = 1_000_000;

    @Override
    public String name() {
        return "arithmetic";
    }

    @Override
    public String description() {
        return "seeded multi-step integer arithmetic with worked solutions ending in \\boxed{…}; train/eval splits";
    }

    @Override
    public ProblemStream open(Settings settings) {
        long seed = settings.longValue("seed", 0);
        int minOps = settings.integer("min_ops", 2);
        int maxOps = settings.integer("max_ops", 3);
        int maxOperand = settings.integer("max_operand", 9);
        String operators = settings.string("operators", "+-*");
        double answerOnly = settings.number("answer_only_fraction", 0.0);
        ArithmeticProblems.Split split = settings.choice("split", ArithmeticProblems.Split.class, ArithmeticProblems.Split.TRAIN);

        if (minOps < 1 || minOps > MAX_OPS) throw settings.invalid("min_ops", "must be in [1, " + MAX_OPS + "]");
        if (maxOps < minOps || maxOps > MAX_OPS) {
            throw settings.invalid("max_ops", "must be in [min_ops, " + MAX_OPS + "] = [" + minOps + ", " + MAX_OPS + "]");
        }
        if (maxOperand < 1 || maxOperand > MAX_OPERAND) throw settings.invalid("max_operand", "must be in [1, " + MAX_OPERAND + "]");
        if (operators.isEmpty() || !operators.chars().allMatch(c -> c == '+' || c == '-' || c == '*')) {
            throw settings.invalid("operators", "must be a non-empty string of the characters + - *, e.g. \"+-*\" or \"+\"");
        }
        if (!(answerOnly >= 0 && answerOnly <= 1)) throw settings.invalid("answer_only_fraction", "must be in [0, 1]");
        ArithmeticProblems problems = new ArithmeticProblems(seed, split, minOps, maxOps, maxOperand, operators, answerOnly);
        if (!problems.splitIsInhabited()) {
            throw settings.invalid("max_operand", "leaves too few distinct expressions for the " + Settings.configName(split)
                    + " split (with " + minOps + ".." + maxOps + " operations of " + operators
                    + "); raise max_operand or max_ops");
        }
        return problems.stream();
    }
}
