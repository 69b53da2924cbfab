package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rlvr4j.verifier.math.internal.FinalAnswerExtractor.Extraction;
import io.rlvr4j.verifier.math.internal.FinalAnswerExtractor.MultipleBoxes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: in the tables {@code ⏎} stands for a line break, an empty answer for "no answer", and
 * backslashes are doubled (text blocks unescape them).
 */
class FinalAnswerExtractorTest {

    private static final Map<MultipleBoxes, FinalAnswerExtractor> EXTRACTORS = new EnumMap<>(MultipleBoxes.class);

    static {
        for (MultipleBoxes policy : MultipleBoxes.values()) EXTRACTORS.put(policy, new FinalAnswerExtractor(policy));
    }

    private final FinalAnswerExtractor extractor = new FinalAnswerExtractor();

    private static String lines(String s) {
        return s == null ? null : s.replace("⏎", "\n");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} ({2})")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            so x = 4, the answer is \\boxed{4}.                   | 4                          | boxed
            \\boxed{\\frac{1}{\\sqrt{2}}}                         | \\frac{1}{\\sqrt{2}}       | boxed
            "\\boxed{\\left\\{ x^{2} \\right\\}}"                 | "\\left\\{ x^{2} \\right\\}" | boxed
            "\\boxed{\\{1, 2\\}}"                                 | "\\{1, 2\\}"               | boxed
            \\boxed{\\}}                                          | \\}                        | boxed
            "\\boxed{ 12 }"                                       | 12                         | boxed
            "\\boxed {3}"                                         | 3                          | boxed
            \\boxed⏎{3}                                           | 3                          | boxed
            \\fbox{2}                                             | 2                          | boxed
            \\boxed{1} then \\fbox{2}                             | "1, 2"                     | boxes
            \\fbox{2} then \\boxed{1}                             | "2, 1"                     | boxes
            maybe \\boxed{1} or \\boxed{2}, finally \\boxed{3}    | "1, 2, 3"                  | boxes
            "\\boxed{1}. That was step one; the rest of the work follows, and then \\boxed{3}" | 3 | boxed
            "\\boxed{1}⏎⏎\\boxed{3}"                               | 3                          | boxed
            "\\boxed{40}, \\boxed{41}, \\boxed{42}"                | "40, 41, 42"               | boxes
            "\\boxed{A} or \\boxed{B}"                             | "A, B"                     | boxes
            "\\boxed{3} or \\boxed{3}"                             | 3                          | boxed
            "\\boxed{200} … long working, then more working … \\boxed{255}. Final Answer: The final answer is $10,455$. I hope it is correct." | "10,455" | answer_phrase
            "\\boxed{5}. The answer is correct"                     | 5                          | boxed
            \\boxed{\\boxed{5}}                                   | 5                          | boxed
            \\boxedfoo{1} but \\boxed{2}                          | 2                          | boxed
            \\boxed{1} \\boxedanswer{2}                           | 1                          | boxed
            "I will write \\boxed after \\boxed{7}: \\boxed"      | 7                          | boxed
            "\\\\boxed{8}"                                        | 8                          | boxed
            "\\boxed 5"                                           | 5                          | boxed
            "\\boxed 42"                                          | 42                         | boxed
            "so it is $\\boxed 42$."                              | 42                         | boxed
            "\\boxed 5."                                          | 5                          | boxed
            "\\boxed -3, done"                                    | -3                         | boxed
            "\\boxed \\pi"                                        | \\pi                       | boxed
            "\\boxed x\\)"                                        | x                          | boxed
            "\\boxed (B)"                                         | (B)                        | boxed
            "\\boxed{1} ... \\boxed 2"                            | "1, 2"                     | boxes
            "\\boxed{\\boxed 9}"                                  | 9                          | boxed
            "\\boxed{\\text{the answer is } 5}"                   | "\\text{the answer is } 5" | boxed
            the answer is \\boxed{5}. Wait, the answer is 6.      | 5                          | boxed
            "\\boxed{\\text{(B)}}"                                | \\text{(B)}                | boxed
            put it in \\boxed and then the answer is 7            | 7                          | answer_phrase
            "use \\boxed (or \\fbox) -- the answer is 7"          | 7                          | answer_phrase
            "\\boxed⏎5 so the answer is 6"                        | 6                          | answer_phrase
            \\boxed{5} hmm, actually \\boxed{\\frac{7}{2}         |                            |
            \\boxed{5} so the answer is 5. \\boxed{               |                            |
            \\boxed{{}                                            |                            |
            \\boxed{                                              |                            |
            \\boxed{}                                             |                            |
            "\\boxed{  }"                                         |                            |
            "\\boxed{} but the answer is 5"                       |                            |
            The answer is 3.5.                                    | 3.5                        | answer_phrase
            the answer is 3.5                                     | 3.5                        | answer_phrase
            The final answer is $\\frac{1}{2}$.                   | \\frac{1}{2}               | answer_phrase
            The final answer is $\\frac{1}{2}$. I hope it is correct. | \\frac{1}{2}           | answer_phrase
            Final Answer: 42                                      | 42                         | answer_phrase
            Final Answer: The final answer is $7$. I hope it is correct. | 7                   | answer_phrase
            Answer: (B)                                           | (B)                        | answer_phrase
            ANSWER: B                                             | B                          | answer_phrase
            "Thus, THE ANSWER IS   12 ."                          | 12                         | answer_phrase
            the answer is \\text{(B)}.                            | \\text{(B)}                | answer_phrase
            "**Final Answer:** 7"                                 | 7                          | answer_phrase
            "**Final Answer**: 7"                                 | 7                          | answer_phrase
            "**The final answer is 7.**"                          | 7                          | answer_phrase
            So the final answer is: 12.                           | 12                         | answer_phrase
            My final answer is 12                                 | 12                         | answer_phrase
            The answer is \\(x+1\\).                              | x+1                        | answer_phrase
            "The answer is \\[ 2\\pi \\]."                        | 2\\pi                      | answer_phrase
            The answer is $$3.$$                                  | 3                          | answer_phrase
            The answer is $1. 5$ wait                             | $1. 5$ wait                | answer_phrase
            The answer is 5. Let me double-check the answer.      | 5                          | answer_phrase
            The answer is 5. Hmm, no: the answer is 6.            | 6                          | answer_phrase
            the answer is 6⏎but the answer is                     |                            |
            Final answer:⏎⏎$17$                                   | 17                         | answer_phrase
            "the answer is 1,000 dollars."                        | "1,000 dollars"            | answer_phrase
            The answer is 3. 5 is wrong                           | 3                          | answer_phrase
            The answer is 3.⏎5 is wrong                           | 3                          | answer_phrase
            The answer is e.g. 5                                  | e.g                        | answer_phrase
            answer is 4                                           |                            |
            My answer is 4                                        |                            |
            The answers are 4 and 5                               |                            |
            the answer isn't 4                                    |                            |
            theanswer is 4                                        |                            |
            The answer is                                         |                            |
            The answer is .                                       |                            |
            "#### 42"                                             | 42                         | gsm8k
            "####42"                                              | 42                         | gsm8k
            She pays 3 * 4 = 12 dollars.⏎#### 12                  | 12                         | gsm8k
            "#### 1,000 "                                         | "1,000"                    | gsm8k
            "#### 5⏎#### 6⏎"                                      | 6                          | gsm8k
            The answer is 7.⏎#### 8                               | 7                          | answer_phrase
            "####"                                                |                            |
            42                                                    | 42                         | bare
            "  42⏎"                                               | 42                         | bare
            42.                                                   | 42                         | bare
            -0.5                                                  | -0.5                       | bare
            $\\frac12$                                            | \\frac12                   | math_span
            \\(x+1\\)                                             | x+1                        | math_span
            \\[⏎x+1⏎\\]                                           | x+1                        | math_span
            $$ 2^{10} $$                                          | 2^{10}                     | math_span
            Therefore $x \\geq 5$ is the solution.                | x \\geq 5                  | math_span
            "Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $"          | "\\frac{1}{2} \\$ = \\frac{10}{9}" | math_span
            "The identity matrix is $ \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} $." | "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}" | math_span
            "$\\frac{1}{3},$"                                     | \\frac{1}{3}               | math_span
            "\\frac{1}{3},"                                       | \\frac{1}{3}               | bare
            "1, 2, 3, ..."                                        | "1, 2, 3, ..."             | bare
            (B)                                                   | (B)                        | bare
            \\text{(B)}                                           | \\text{(B)}                | bare
            B                                                     | B                          | bare
            "x^2 + 2x + 1"                                        | "x^2 + 2x + 1"             | bare
            \\sin x + \\cos x                                     | \\sin x + \\cos x          | bare
            42 apples                                             | 42 apples                  | bare
            yes                                                   | yes                        | bare
            \\boxedfoo{1}                                         | \\boxedfoo{1}              | bare
            4 \\text{ square units}                              | 4 \\text{ square units}   | bare
            5 \\mbox{cm}^2                                       | 5 \\mbox{cm}^2            | bare
            \\text{no idea}                                       | \\text{no idea}           | bare
            no idea                                               |                            |
            no \\text{idea} at all                                |                            |
            I don't know                                          |                            |
            The result is 42 because six times seven is 42        |                            |
            It is 42                                              |                            |
            42⏎43                                                 |                            |
            ...                                                   |                            |
            "$$"                                                  |                            |
            "   "                                                 |                            |
            """)
    void extractsTheFinalAnswer(String response, String answer, String rule) {
        Optional<Extraction> found = extractor.find(lines(response));
        if (answer == null) {
            assertThat(found).isEmpty();
        } else {
            assertThat(found).hasValue(new Extraction(lines(answer), rule));
        }
        assertThat(extractor.extract(lines(response))).isEqualTo(found.map(Extraction::answer));
    }

    @ParameterizedTest(name = "[{index}] {0}: LAST {1}, FIRST {2}, ALL_AGREE {3}, REJECT {4}, JOIN {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            \\boxed{a}\\boxed{b}                      | b    | a    |      | | "a, b"
            \\boxed{a} or \\boxed{a}                  | a    | a    | a    | a | a
            "\\boxed{a} or \\boxed{ a }"              | a    | a    | a    | | a
            \\boxed{5}                                | 5    | 5    | 5    | 5 | 5
            \\boxed{\\boxed{5}}                       | 5    | 5    | 5    | | 5
            "\\boxed{ \\boxed{5} }"                   | 5    | 5    | 5    | | 5
            "\\boxed{\\boxed{5}} and \\boxed{5}"      | 5    | 5    | 5    | | 5
            "\\boxed{1 or \\boxed{2}}"                | 2    | "1 or \\boxed{2}" |  | | "1 or \\boxed{2}"
            \\boxed{1} then \\boxed{2                 |      | 1    |      | | 
            \\boxed{1} then \\boxed{1                 |      | 1    |      | | 
            \\boxed{1                                 |      |      |      | | 
            \\boxed{}\\boxed{5}                       | 5    |      |      | | 5
            \\boxed{5}\\boxed{}                       |      | 5    |      | | 5
            "\\boxed 5 and \\boxed{5}"                | 5    | 5    | 5    | 5 | 5
            "\\boxed{7} \\fbox{7} \\boxed{7}"         | 7    | 7    | 7    | 7 | 7
            "\\boxed{7} \\fbox{7} \\boxed{8}"         | 8    | 7    |      | | "7, 8"
            \\boxed{\\frac{1}{2}} = \\boxed{0.5}      | 0.5  | \\frac{1}{2} |  | | "\\frac{1}{2}, 0.5"
            "\\boxed{a}\\boxed{b} and the answer is a" | b   | a    |      | | "a, b"
            "no box: the answer is 4"                 | 4    | 4    | 4    | 4 | 4
            """)
    void multipleBoxesPolicies(String response, String last, String first, String allAgree, String reject, String join) {
        Map<MultipleBoxes, String> expected = new EnumMap<>(MultipleBoxes.class);
        expected.put(MultipleBoxes.JOIN, join);
        expected.put(MultipleBoxes.LAST, last);
        expected.put(MultipleBoxes.FIRST, first);
        expected.put(MultipleBoxes.ALL_AGREE, allAgree);
        expected.put(MultipleBoxes.REJECT, reject);
        for (MultipleBoxes policy : MultipleBoxes.values()) {
            assertThat(EXTRACTORS.get(policy).extract(response)).as(policy.name())
                    .isEqualTo(Optional.ofNullable(expected.get(policy)));
        }
    }

    @Test
    void theDefaultPolicyJoinsTheClosingBoxes() {
        assertThat(new FinalAnswerExtractor().find("\\boxed{a}\\boxed{b}")).hasValue(new Extraction("a, b", Extraction.BOXES));
        assertThat(new FinalAnswerExtractor().find("\\boxed{a}\\boxed{a}")).hasValue(new Extraction("a", Extraction.BOXED));
    }

    @Test
    void candidatesComeLayerByLayerAndLayersCanBeSwitchedOff() {
        String r = "Final answer is $\\sum_k k$. I hope. $42$ and 7";
        assertThat(extractor.candidates(r)).extracting(Extraction::answer).containsExactly("\\sum_k k", "42");
        FinalAnswerExtractor withNumbers = new FinalAnswerExtractor(MultipleBoxes.JOIN, java.util.EnumSet.allOf(FinalAnswerExtractor.Layer.class));
        assertThat(withNumbers.candidates(r)).extracting(Extraction::rule).containsExactly("answer_phrase", "math_span", "last_number");
        assertThat(withNumbers.candidates("so it is 1,000.99m²")).containsExactly(new Extraction("1,000.99", Extraction.LAST_NUMBER));
        assertThat(extractor.candidates("so it is 1,000.99m²")).isEmpty();
        FinalAnswerExtractor boxesOnly = new FinalAnswerExtractor(MultipleBoxes.JOIN, java.util.EnumSet.of(FinalAnswerExtractor.Layer.BOXED));
        assertThat(boxesOnly.candidates("The answer is 5.")).isEmpty();
        assertThat(extractor.candidates("Final Answer: The largest $n$ is 34.")).extracting(Extraction::answer)
                .containsExactly("The largest $n$ is 34", "34", "n");
    }

    @Test
    void nullAndEmptyResponsesHaveNoAnswer() {
        for (FinalAnswerExtractor e : EXTRACTORS.values()) {
            assertThat(e.find(null)).isEmpty();
            assertThat(e.extract(null)).isEmpty();
            assertThat(e.find("")).isEmpty();
        }
    }

    @Test
    void aLongAnswerAfterAPhraseIsNoAnswer() {
        String within = "x".repeat(FinalAnswerExtractor.MAX_PHRASE);
        assertThat(extractor.extract("The answer is " + within + "\nmore")).hasValue(within);
        assertThat(extractor.extract("The answer is " + within + "x\nmore")).isEmpty();
        assertThat(extractor.extract("#### " + "1".repeat(5_000))).isEmpty();
    }

    @Test
    void onlyShortResponsesCanBeBareAnswers() {
        String longest = "1".repeat(FinalAnswerExtractor.MAX_BARE);
        assertThat(extractor.extract("  " + longest + "\n")).hasValue(longest);
        assertThat(extractor.extract(longest + "1")).isEmpty();
        assertThat(extractor.extract("Let me think step by step. " + "We have 6 * 7 = 42. ".repeat(10) + "42")).isEmpty();
    }

    static Stream<Arguments> hugeResponses() {
        int mb2 = 2 << 20;
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("{{{{ then \\boxed{", ("{{{{" + "\\boxed{").repeat(mb2 / 11), null));
        cases.add(Arguments.of("\\boxed{ x 2M", "\\boxed{".repeat(mb2 / 7), null));
        cases.add(Arguments.of("{ x 2M after a box", "\\boxed" + "{".repeat(mb2), null));
        cases.add(Arguments.of("} x 2M", "}".repeat(mb2), null));
        cases.add(Arguments.of("nested closed boxes", "\\boxed{".repeat(150_000) + "5" + "}".repeat(150_000), "5"));
        cases.add(Arguments.of("nested boxes, spaced", "\\boxed{ ".repeat(150_000) + "5" + " }".repeat(150_000), "5"));
        cases.add(Arguments.of("nested boxes with text", "\\boxed{a".repeat(150_000) + "}".repeat(150_000), "a"));
        cases.add(Arguments.of("many equal boxes", "\\boxed{12345}".repeat(150_000), "12345"));
        cases.add(Arguments.of("long equal boxes", ("\\boxed{" + "7".repeat(100_000) + "}").repeat(20), "7".repeat(100_000)));
        String sevens = "7".repeat(1_000_000);
        cases.add(Arguments.of("a box, then a chain of boxes around the same", "\\boxed{" + sevens + "}"
                + "\\boxed{".repeat(100_000) + sevens + "}".repeat(100_000), sevens));
        cases.add(Arguments.of("\\boxed + spaces", "\\boxed ".repeat(mb2 / 7) + "\\boxed{9}", "9"));
        cases.add(Arguments.of("\\boxed + token", "\\boxed 1 ".repeat(mb2 / 9), "1"));
        cases.add(Arguments.of("backslashes", "\\".repeat(mb2), null));
        cases.add(Arguments.of("\\\\boxed{", "\\\\boxed{".repeat(mb2 / 8), null));
        cases.add(Arguments.of("\\boxed{ then spaces", "\\boxed{" + " ".repeat(mb2), null));
        cases.add(Arguments.of("answer x 2M", "answer ".repeat(mb2 / 7), null));
        cases.add(Arguments.of("answer: x 2M", "answer:".repeat(mb2 / 7), null));
        cases.add(Arguments.of("the answer is x 2M", "the answer is ".repeat(mb2 / 14) + "4", "4"));
        cases.add(Arguments.of("answer then spaces", "the answer" + " ".repeat(mb2) + "is 3", "3"));
        cases.add(Arguments.of("answer is then spaces", "the answer is" + " ".repeat(mb2), null));
        cases.add(Arguments.of("one endless answer", "the answer is " + "x".repeat(mb2), null));
        cases.add(Arguments.of("$ x 2M", "The answer is " + "$".repeat(mb2), null));
        cases.add(Arguments.of("# x 2M", "#".repeat(mb2), null));
        cases.add(Arguments.of("spaces around 42", " ".repeat(mb2) + "42" + " ".repeat(mb2), "42"));
        cases.add(Arguments.of("junk without answer", "lorem ipsum 42 ".repeat(mb2 / 15), null));
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hugeResponses")
    void hugeResponsesTakeLinearTime(String name, String response, String lastAnswer) {
        Map<MultipleBoxes, Optional<String>> answers = new EnumMap<>(MultipleBoxes.class);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (MultipleBoxes policy : MultipleBoxes.values()) answers.put(policy, EXTRACTORS.get(policy).extract(response));
        });
        assertThat(answers.get(MultipleBoxes.LAST)).isEqualTo(Optional.ofNullable(lastAnswer));
    }

    private static final String[] FRAGMENTS = {
        "\\boxed{", "\\fbox{", "\\boxed", "\\boxedx{", "{", "}", "\\{", "\\}", "\\", "\\\\", "x", "5", "3.5", ".",
        "\n", "$", "\\(", "\\)", "the answer is", "Answer:", "####", "*", "(B)", "\\text{", "'",
    };

    /**
     * On boxes without the brace-less form (no spaces in the fragments), the default policy finds what
     * {@link BoxedAnswerExtractor} finds, trimmed, and nothing else with the rule {@code boxed}; the
     * other policies never disagree with it when they answer; nothing throws or answers blank.
     */
    @Test
    void agreesWithTheBoxedExtractorOnRandomResponses() {
        Random random = new Random(20_250_101);
        BoxedAnswerExtractor boxed = new BoxedAnswerExtractor();
        for (int round = 0; round < 50_000; round++) {
            StringBuilder response = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) response.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            String r = response.toString();

            Optional<String> expected = boxed.extract(r).map(String::strip).filter(s -> !s.isEmpty());
            Map<MultipleBoxes, Optional<Extraction>> found = new EnumMap<>(MultipleBoxes.class);
            for (MultipleBoxes policy : MultipleBoxes.values()) found.put(policy, EXTRACTORS.get(policy).find(r));

            Optional<Extraction> last = found.get(MultipleBoxes.LAST);
            assertThat(last.filter(e -> e.rule().equals(Extraction.BOXED)).map(Extraction::answer)).as(r).isEqualTo(expected);
            for (Optional<Extraction> e : found.values()) {
                e.ifPresent(x -> assertThat(x.answer()).as(r).isNotBlank());
                boolean byBox = e.isPresent() && (e.get().rule().equals(Extraction.BOXED) || e.get().rule().equals(Extraction.BOXES));
                if (e.isPresent() && !byBox) assertThat(e).as(r).isEqualTo(last);
            }
            Optional<Extraction> agreed = found.get(MultipleBoxes.ALL_AGREE);
            if (agreed.isPresent()) {
                assertThat(last).as(r).isEqualTo(agreed);
                assertThat(found.get(MultipleBoxes.FIRST)).as(r).isEqualTo(agreed);
            }
            found.get(MultipleBoxes.REJECT).ifPresent(x -> assertThat(agreed).as(r).hasValue(x));
        }
    }
}
