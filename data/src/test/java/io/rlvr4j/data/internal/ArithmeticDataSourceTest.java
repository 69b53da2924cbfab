package io.rlvr4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ArithmeticDataSourceTest {

    private static final Pattern STEP = Pattern.compile("(-?\\d+)([+*-])(\\d+)=(-?\\d+)");
    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{(-?\\d+)}");

    private static List<Problem> problems(Map<String, ?> settings, int n) {
        try (ProblemStream s = new ArithmeticDataSource().open(Settings.of(settings))) {
            return s.next(n);
        }
    }

    /** An evaluator independent of the generator: shunting-yard with long arithmetic. */
    private static long evaluate(String expression) {
        Deque<Long> values = new ArrayDeque<>();
        Deque<Character> ops = new ArrayDeque<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isDigit(c)) {
                int j = i;
                while (j < expression.length() && Character.isDigit(expression.charAt(j))) j++;
                values.push(Long.parseLong(expression.substring(i, j)));
                i = j;
                continue;
            }
            while (!ops.isEmpty() && precedence(ops.peek()) >= precedence(c)) apply(values, ops.pop());
            ops.push(c);
            i++;
        }
        while (!ops.isEmpty()) apply(values, ops.pop());
        return values.pop();
    }

    private static int precedence(char op) {
        return op == '*' ? 2 : 1;
    }

    private static void apply(Deque<Long> values, char op) {
        long b = values.pop();
        long a = values.pop();
        values.push(switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            default -> a * b;
        });
    }

    @Test
    void everyStepOfEverySolutionIsCorrect() {
        for (Problem p : problems(Map.of("seed", 1, "min_ops", 1, "max_ops", 5), 3000)) {
            String solution = (String) p.metadata().get("solution");
            String[] lines = solution.split("\n");
            int ops = (Integer) p.metadata().get("ops");
            assertThat(lines).as(solution).hasSize(ops + 1);
            for (int k = 0; k < ops; k++) {
                Matcher m = STEP.matcher(lines[k]);
                assertThat(m.matches()).as("step %s of %s", lines[k], p.prompt()).isTrue();
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(3));
                long result = switch (m.group(2)) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    default -> a * b;
                };
                assertThat(Long.parseLong(m.group(4))).as("step %s", lines[k]).isEqualTo(result);
            }
            Matcher boxed = BOXED.matcher(lines[ops]);
            assertThat(boxed.matches()).as(lines[ops]).isTrue();
            long expected = evaluate(p.prompt().substring(0, p.prompt().length() - 1));
            assertThat(Long.parseLong(boxed.group(1))).as(p.prompt()).isEqualTo(expected);
            assertThat(p.answer()).isEqualTo(Long.toString(expected));
        }
    }

    @Test
    void theLastStepResultIsTheAnswer() {
        for (Problem p : problems(Map.of("seed", 2), 500)) {
            String[] lines = ((String) p.metadata().get("solution")).split("\n");
            String last = lines[lines.length - 2];
            assertThat(last.substring(last.lastIndexOf('=') + 1)).isEqualTo(p.answer());
        }
    }

    @Test
    void solvesTheBriefsExampleWithPrecedence() {
        ArithmeticProblems.Solution s = ArithmeticProblems.solve("7+3*2-4");
        assertThat(s.text()).isEqualTo("3*2=6\n7+6=13\n13-4=9\n\\boxed{9}");
        assertThat(s.answer()).hasToString("9");
        assertThat(ArithmeticProblems.solve("2-7*3*1+4").text()).isEqualTo("7*3=21\n21*1=21\n2-21=-19\n-19+4=-15\n\\boxed{-15}");
    }

    @Test
    void promptsArePlainExpressionsEndingInEquals() {
        for (Problem p : problems(Map.of(), 1000)) {
            assertThat(p.prompt()).matches("\\d+([+*-]\\d+){2,3}=");
            assertThat(p.prompt().length() + ((String) p.metadata().get("solution")).length()).isLessThan(60);
            assertThat(p.domain()).isEqualTo("math");
            assertThat(p.messages()).isEmpty();
        }
    }

    @Test
    void answersCanBeNegative() {
        assertThat(problems(Map.of("operators", "-"), 200)).anySatisfy(p -> assertThat(p.answer()).startsWith("-"));
    }

    @Test
    void idsNameSplitSeedAndIndex() {
        List<Problem> ps = problems(Map.of("seed", 42, "split", "eval"), 3);
        assertThat(ps).extracting(Problem::id).containsExactly("arith-eval-42-0", "arith-eval-42-1", "arith-eval-42-2");
    }

    @Test
    void trainAndEvalSplitsNeverShareAnExpression() {
        Set<String> train = new HashSet<>();
        Set<String> eval = new HashSet<>();
        for (int seed = 0; seed < 2; seed++) {
            problems(Map.of("seed", seed, "split", "train"), 5000).forEach(p -> train.add(p.prompt()));
            problems(Map.of("seed", seed, "split", "eval"), 5000).forEach(p -> eval.add(p.prompt()));
        }
        assertThat(eval).hasSizeGreaterThan(1000);
        assertThat(train).hasSizeGreaterThan(1000);
        assertThat(eval).doesNotContainAnyElementsOf(train);
    }

    @Test
    void aboutOneExpressionInEightIsHeldOut() {
        int eval = 0;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(0);
        for (int i = 0; i < 80_000; i++) {
            if (ArithmeticProblems.splitOf(rnd.nextInt(1000) + "+" + rnd.nextInt(1000)) == ArithmeticProblems.Split.EVAL) eval++;
        }
        assertThat(eval).isBetween(9_000, 11_000);
    }

    @Test
    void theSameSeedGivesTheSameProblems() {
        assertThat(problems(Map.of("seed", 7), 300)).isEqualTo(problems(Map.of("seed", 7), 300));
    }

    @Test
    void differentSeedsGiveDifferentProblems() {
        List<String> a = problems(Map.of("seed", 7), 100).stream().map(Problem::prompt).toList();
        List<String> b = problems(Map.of("seed", 8), 100).stream().map(Problem::prompt).toList();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void operationCountsAndOperandsStayInRange() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Problem p : problems(Map.of("min_ops", 2, "max_ops", 4, "max_operand", 5, "operators", "+*"), 2000)) {
            int ops = (Integer) p.metadata().get("ops");
            counts.merge(ops, 1, Integer::sum);
            assertThat(p.prompt()).doesNotContain("-");
            for (String operand : p.prompt().replace("=", "").split("[+*]")) {
                assertThat(Integer.parseInt(operand)).isBetween(0, 5);
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(2, 3, 4);
    }

    @Test
    void answerOnlyFractionSkipsTheWorkOfThatShareOfSolutionsAndNothingElse() {
        List<Problem> worked = problems(Map.of("seed", 3), 2000);
        List<Problem> mixed = problems(Map.of("seed", 3, "answer_only_fraction", 0.3), 2000);
        int answerOnly = 0;
        for (int i = 0; i < worked.size(); i++) {
            Problem w = worked.get(i);
            Problem m = mixed.get(i);
            assertThat(m.prompt()).isEqualTo(w.prompt());
            assertThat(m.answer()).isEqualTo(w.answer());
            String solution = (String) m.metadata().get("solution");
            if (solution.equals("\\boxed{" + w.answer() + "}")) {
                answerOnly++;
            } else {
                assertThat(solution).isEqualTo(w.metadata().get("solution"));
            }
        }
        assertThat(answerOnly).isBetween(540, 660); // 0.3 of 2000, within about 4 sigma
        assertThat(problems(Map.of("seed", 3, "answer_only_fraction", 1.0), 50))
                .allSatisfy(p -> assertThat((String) p.metadata().get("solution")).isEqualTo("\\boxed{" + p.answer() + "}"));
    }

    @Test
    void seekIsConstantTime() {
        try (ProblemStream s = new ArithmeticDataSource().open(Settings.of(Map.of()))) {
            s.seek(1_000_000_000_000L);
            assertThat(s.next().id()).isEqualTo("arith-train-0-1000000000000");
            assertThat(s.size()).isEmpty();
        }
    }

    @Test
    void settingsAreValidated() {
        assertInvalid(Map.of("min_ops", 0), "min_ops = 0");
        assertInvalid(Map.of("min_ops", 3, "max_ops", 2), "max_ops = 2", "[min_ops, 12] = [3, 12]");
        assertInvalid(Map.of("max_operand", 0), "max_operand = 0");
        assertInvalid(Map.of("operators", "+/"), "operators = \"+/\"", "+ - *");
        assertInvalid(Map.of("operators", ""), "operators = \"\"");
        assertInvalid(Map.of("split", "test"), "split = \"test\"", "expected one of: train, eval");
        assertInvalid(Map.of("answer_only_fraction", 1.5), "answer_only_fraction = 1.5", "[0, 1]");
    }

    @Test
    void aSplitWithoutExpressionsIsAConfigurationError() {
        // two multiplications of 0..1: 8 expressions, none of which hashes into the eval split
        for (int a = 0; a <= 1; a++) {
            for (int b = 0; b <= 1; b++) {
                for (int c = 0; c <= 1; c++) {
                    assertThat(ArithmeticProblems.splitOf(a + "*" + b + "*" + c)).isEqualTo(ArithmeticProblems.Split.TRAIN);
                }
            }
        }
        Map<String, Object> tiny = Map.of("min_ops", 2, "max_ops", 2, "max_operand", 1, "operators", "*");
        assertThat(problems(tiny, 1)).hasSize(1);
        Map<String, Object> tinyEval = new HashMap<>(tiny);
        tinyEval.put("split", "eval");
        assertThatThrownBy(() -> problems(tinyEval, 1)).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("max_operand = 1", "too few distinct expressions for the eval split", "raise max_operand");
    }

    private static void assertInvalid(Map<String, ?> settings, String... parts) {
        assertThatThrownBy(() -> problems(settings, 1)).isInstanceOf(ConfigException.class).hasMessageContainingAll(parts);
    }
}
