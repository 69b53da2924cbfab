package com.example.countdown;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * {@code countdown}: an endless stream of Countdown puzzles, each made by drawing {@code count}
 * numbers in {@code [1, max_number]} and combining all of them with random operations into an
 * equation whose value (a positive integer up to {@code max_target}) becomes the target; that
 * equation is the problem's worked solution (for SFT). Problem {@code i} depends only on
 * {@code seed} and {@code i}, so the stream is deterministic and seeks in constant time.
 *
 * <p>Settings: {@code seed} (0), {@code count} (3, from 2 to 6), {@code max_number} (9),
 * {@code max_target} (100).
 */
public final class CountdownProblems implements DataSource {

    /** The domain of the problems, which {@link CountdownReward} judges. */
    static final String DOMAIN = "countdown";

    @Override
    public String name() {
        return "countdown";
    }

    @Override
    public String description() {
        return "generated Countdown puzzles (reach a target from given numbers) with worked solutions (example third-party plugin)";
    }

    @Override
    public ProblemStream open(Settings settings) {
        long seed = settings.longValue("seed", 0);
        int count = settings.integer("count", 3);
        if (count < 2 || count > 6) throw settings.invalid("count", "must be from 2 to 6");
        int maxNumber = settings.integer("max_number", 9);
        if (maxNumber < 1 || maxNumber > 1000) throw settings.invalid("max_number", "must be from 1 to 1000");
        int maxTarget = settings.integer("max_target", 100);
        if (maxTarget < 1) throw settings.invalid("max_target", "must be at least 1");
        return new Stream(seed, count, maxNumber, maxTarget);
    }

    private static final class Stream implements ProblemStream {
        private final long seed;
        private final int count;
        private final int maxNumber;
        private final int maxTarget;
        private long position;

        Stream(long seed, int count, int maxNumber, int maxTarget) {
            this.seed = seed;
            this.count = count;
            this.maxNumber = maxNumber;
            this.maxTarget = maxTarget;
        }

        @Override
        public Problem next() {
            return problem(position++);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) {
            if (position < 0) throw new IllegalArgumentException("position must be >= 0, but is " + position);
            this.position = position;
        }

        @Override
        public OptionalLong size() {
            return OptionalLong.empty();
        }

        private Problem problem(long i) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            while (true) {
                List<Integer> numbers = new ArrayList<>();
                for (int k = 0; k < count; k++) numbers.add(1 + rng.nextInt(maxNumber));
                String solution = combine(new ArrayList<>(numbers), rng);
                Equation eq = Equation.parse(solution).orElseThrow();
                if (eq.denominator() != 1 || eq.numerator() < 1 || eq.numerator() > maxTarget) continue;
                long target = eq.numerator();
                String prompt = "Use " + join(numbers) + " once each with + - * / to make " + target + ".";
                return new Problem("countdown-" + seed + "-" + i, DOMAIN, prompt, List.of(), Long.toString(target),
                        Map.of("numbers", List.copyOf(numbers), "target", target, "solution", "\\boxed{" + solution + "}"));
            }
        }

        private static String join(List<Integer> numbers) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < numbers.size(); k++) sb.append(k == 0 ? "" : k == numbers.size() - 1 ? " and " : ", ").append(numbers.get(k));
            return sb.toString();
        }

        /** Joins the numbers, in a random order, into one equation: repeatedly two terms into one, parenthesised where needed. */
        private static String combine(List<Integer> numbers, SplittableRandom rng) {
            List<String> terms = new ArrayList<>();
            List<Character> tops = new ArrayList<>(); // each term's outermost operator, or ' ' for a number
            for (int n : numbers) {
                terms.add(Integer.toString(n));
                tops.add(' ');
            }
            while (terms.size() > 1) {
                int a = rng.nextInt(terms.size());
                String left = terms.remove(a);
                char leftTop = tops.remove(a);
                int b = rng.nextInt(terms.size());
                String right = terms.remove(b);
                char rightTop = tops.remove(b);
                char op = "+-*/".charAt(rng.nextInt(4));
                boolean strong = op == '*' || op == '/';
                String l = strong && (leftTop == '+' || leftTop == '-') ? "(" + left + ")" : left;
                String r = (strong && rightTop != ' ') || (op == '-' && (rightTop == '+' || rightTop == '-')) ? "(" + right + ")" : right;
                terms.add(l + op + r);
                tops.add(op);
            }
            return terms.getFirst();
        }
    }
}
