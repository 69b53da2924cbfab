package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoldAnswersTest {

    static Stream<Arguments> golds() {
        return Stream.of(
                // bare answers
                Arguments.of("42", List.of("42")),
                Arguments.of("  42\n", List.of("42")),
                Arguments.of("$\\frac{1}{2}$", List.of("\\frac{1}{2}")),
                Arguments.of("$$ 12 $$", List.of("12")),
                Arguments.of("\\(x+1\\)", List.of("x+1")),
                Arguments.of("\\[ 2\\pi \\]", List.of("2\\pi")),
                Arguments.of("$1$ or $2$", List.of("$1$ or $2$")),
                Arguments.of("(B)", List.of("(B)")),
                Arguments.of("\\text{(B)}", List.of("\\text{(B)}")),
                Arguments.of("1,000", List.of("1,000")),
                Arguments.of("$$", List.of("$$")),
                Arguments.of("$ $", List.of("$ $")),
                // worked solutions: the last box
                Arguments.of("We have $x = 2$, so $x^2 = \\boxed{4}$.", List.of("4")),
                Arguments.of("First \\boxed{1}. After more work than fits in a gap we find \\boxed{\\frac{1}{\\sqrt{2}}}.",
                        List.of("\\frac{1}{\\sqrt{2}}")),
                // boxes that close a solution together are its answers
                Arguments.of("so the solutions are $n = \\boxed{1}$ and $n = \\boxed{-2}$.", List.of("1, -2")),
                Arguments.of("$\\boxed{1}\\boxed{2}$", List.of("1, 2")),
                // a worked solution without a box: its final answer phrase
                Arguments.of("We lose 10% then 20% of the rest, so 72% is left and the loss is 28%. "
                        + "Final Answer: The final answer is $28 \\%$. I hope it is correct.", List.of("28 \\%")),
                Arguments.of("\\fbox{ 7 }", List.of("7")),
                Arguments.of("\\boxed{\\{1, 2\\}}", List.of("\\{1, 2\\}")),
                Arguments.of("\\boxed{5} and then \\boxed{6", List.of("\\boxed{5} and then \\boxed{6")),
                Arguments.of("\\boxed{}", List.of("\\boxed{}")),
                Arguments.of("\\boxedfoo{3}", List.of("\\boxedfoo{3}")),
                Arguments.of("\\boxed{3} #### 4", List.of("3")),
                // GSM8K solutions: after the last ####
                Arguments.of("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", List.of("72")),
                Arguments.of("#### 1,000", List.of("1,000")),
                Arguments.of("#### 5\n#### 6", List.of("6")),
                Arguments.of("#### 6\nthat is all", List.of("6")),
                Arguments.of("####", List.of("####")),
                Arguments.of("text #### ", List.of("text ####")),
                // JSON arrays of strings: each element
                Arguments.of("[\"1/2\", \"0.5\"]", List.of("1/2", "0.5")),
                Arguments.of(" [ \"1/2\" ,\"0.5\" ] ", List.of("1/2", "0.5")),
                Arguments.of("[\"7\"]", List.of("7")),
                Arguments.of("[\"0.5\", \"0.5\", \" 0.5 \"]", List.of("0.5")),
                Arguments.of("[\"$\\\\frac{1}{2}$\", \"0.5\"]", List.of("\\frac{1}{2}", "0.5")),
                Arguments.of("[\"\\\\boxed{3}\"]", List.of("3")),
                Arguments.of("[\"a\\\"b\", \"c\\/d\", \"\\u00bd\"]", List.of("a\"b", "c/d", "½")),
                Arguments.of("[\"\\frac{1}{2}\", \"\\theta\", \"\\neq\", \"\\rho\", \"\\beta\"]",
                        List.of("\\frac{1}{2}", "\\theta", "\\neq", "\\rho", "\\beta")),
                Arguments.of("[\"\\sqrt{2}\", \"\\pi\", \"\\underline{x}\"]", List.of("\\sqrt{2}", "\\pi", "\\underline{x}")),
                Arguments.of("[\"\", \"3\"]", List.of("3")),
                Arguments.of("[\"\", \" \"]", List.of("[\"\", \" \"]")),
                Arguments.of("[]", List.of("[]")),
                // not JSON arrays of strings: the gold as it is
                Arguments.of("[0, 1]", List.of("[0, 1]")),
                Arguments.of("[0, \\infty)", List.of("[0, \\infty)")),
                Arguments.of("[\"1/2\", 0.5]", List.of("[\"1/2\", 0.5]")),
                Arguments.of("[\"1/2\" \"0.5\"]", List.of("[\"1/2\" \"0.5\"]")),
                Arguments.of("[\"1/2\",]", List.of("[\"1/2\",]")),
                Arguments.of("[\"1/2\"] extra", List.of("[\"1/2\"] extra")),
                Arguments.of("[\"unterminated]", List.of("[\"unterminated]")),
                Arguments.of("[\"a\nb\"]", List.of("[\"a\nb\"]")),
                Arguments.of("[\"ends with \\", List.of("[\"ends with \\")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("golds")
    void parsesTheAcceptableAnswers(String gold, List<String> answers) {
        assertThat(GoldAnswers.parse(gold)).isEqualTo(answers);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\n\t "})
    void aBlankGoldGivesNoAnswers(String gold) {
        assertThat(GoldAnswers.parse(gold)).isEmpty();
    }

    @Test
    void theAnswersAreImmutable() {
        List<String> answers = GoldAnswers.parse("[\"1\", \"2\"]");
        assertThat(answers).containsExactly("1", "2");
        assertThat(answers).isUnmodifiable();
    }

    private static final String[] FRAGMENTS = {
        "[", "]", "\"", "\\", ",", " ", "\n", "$", "\\(", "\\)", "\\boxed{", "{", "}", "####", "x", "5", "\\u00", "\\f",
    };

    /** The promise the verifier relies on: a non-blank gold gives answers, none of them blank. */
    @Test
    void aNonBlankGoldAlwaysGivesNonBlankAnswers() {
        Random random = new Random(7);
        for (int round = 0; round < 50_000; round++) {
            StringBuilder gold = new StringBuilder();
            int length = 1 + random.nextInt(10);
            for (int k = 0; k < length; k++) gold.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            String g = gold.toString();
            List<String> answers = GoldAnswers.parse(g);
            if (g.isBlank()) {
                assertThat(answers).as(g).isEmpty();
            } else {
                assertThat(answers).as(g).isNotEmpty().allSatisfy(a -> assertThat(a).isNotBlank());
            }
        }
    }

    @Test
    void hugeGoldsTakeLinearTime() {
        String array = "[" + "\"0.5\",".repeat(300_000) + "\"1\"]";
        String boxes = "\\boxed{".repeat(300_000);
        String dollars = "$".repeat(2 << 20);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(GoldAnswers.parse(array)).containsExactly("0.5", "1");
            assertThat(GoldAnswers.parse(boxes)).containsExactly(boxes);
            assertThat(GoldAnswers.parse(dollars)).containsExactly(dollars);
        });
    }
}
