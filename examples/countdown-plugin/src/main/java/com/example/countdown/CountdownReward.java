package com.example.countdown;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code countdown}: judges the equation in a response's last {@code \boxed{…}} against the problem's
 * {@code numbers} and {@code target} (metadata, as {@link CountdownProblems} writes them): correct if
 * it uses each number exactly once and equals the target. TinyZero's scheme by default: 1 for a
 * correct equation, 0.1 for a boxed answer that is not (a well-formed attempt), 0 for none.
 *
 * <p>Settings: {@code correct_reward} (1.0), {@code format_reward} (0.1), {@code no_answer_reward} (0.0).
 */
public final class CountdownReward implements RewardFunction {

    @Override
    public String name() {
        return "countdown";
    }

    @Override
    public String description() {
        return "Countdown equations: each given number once, + - * /, equal to the target (example third-party plugin)";
    }

    @Override
    public Verifier create(Settings settings) {
        double correct = settings.number("correct_reward", 1.0);
        double format = settings.number("format_reward", 0.1);
        double none = settings.number("no_answer_reward", 0.0);
        return new CountdownVerifier(correct, format, none);
    }

    /** Stateless, so thread-safe. */
    private record CountdownVerifier(double correctReward, double formatReward, double noAnswerReward) implements Verifier {

        @Override
        public boolean supports(String domain) {
            return domain.equals(CountdownProblems.DOMAIN);
        }

        @Override
        public RewardResult score(Problem problem, String response) {
            List<Integer> numbers = integers(problem.metadata().get("numbers"));
            Object target = problem.metadata().get("target");
            if (numbers == null || !(target instanceof Number t)) {
                return new RewardResult(noAnswerReward, 0, RewardResult.Outcome.ERROR,
                        Map.of("reason", "problem " + problem.id() + " lacks numbers and target in its metadata"));
            }
            Optional<String> boxed = lastBoxed(response);
            if (boxed.isEmpty()) return new RewardResult(noAnswerReward, 0, RewardResult.Outcome.NO_ANSWER, Map.of("reason", "no \\boxed{} equation"));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("equation", boxed.get().length() > 80 ? boxed.get().substring(0, 80) + "…" : boxed.get());
            Optional<Equation> eq = Equation.parse(boxed.get());
            String why;
            if (eq.isEmpty()) {
                why = "not an equation of integers, + - * / and parentheses";
            } else if (!sorted(eq.get().numbers()).equals(sorted(numbers))) {
                why = "uses " + eq.get().numbers() + ", not each of " + numbers + " once";
            } else if (!eq.get().equalsInteger(t.longValue())) {
                why = eq.get().denominator() == 0 ? "divides by zero" : "equals " + eq.get().numerator()
                        + (eq.get().denominator() == 1 ? "" : "/" + eq.get().denominator()) + ", not " + t.longValue();
            } else {
                return new RewardResult(correctReward, 1, RewardResult.Outcome.CORRECT, details);
            }
            details.put("reason", why);
            return new RewardResult(formatReward, 0, RewardResult.Outcome.WRONG, details);
        }

        private static List<Integer> sorted(List<Integer> xs) {
            return xs.stream().sorted().toList();
        }

        private static List<Integer> integers(Object o) {
            if (!(o instanceof List<?> list)) return null;
            List<Integer> out = new ArrayList<>();
            for (Object x : list) {
                if (!(x instanceof Number n)) return null;
                out.add(n.intValue());
            }
            return out;
        }

        /** The text of the last {@code \boxed{…}}, if its braces close (within a few thousand characters). */
        private static Optional<String> lastBoxed(String response) {
            int start = response.lastIndexOf("\\boxed{");
            if (start < 0) return Optional.empty();
            int depth = 0;
            for (int i = start + 7; i < response.length() && i - start < 4_096; i++) {
                char c = response.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && depth-- == 0) return Optional.of(response.substring(start + 7, i));
            }
            return Optional.empty();
        }
    }
}
