package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoxedAnswerExtractorTest {

    private final BoxedAnswerExtractor extractor = new BoxedAnswerExtractor();

    private Optional<String> extract(String response) {
        return extractor.extract(response);
    }

    @Test
    void extractsTheBoxContent() {
        assertThat(extract("so x = 4, the answer is \\boxed{4}.")).hasValue("4");
    }

    @Test
    void keepsNestedBraces() {
        assertThat(extract("\\boxed{\\frac{1}{2}}")).hasValue("\\frac{1}{2}");
        assertThat(extract("\\boxed{\\left\\{ x^{2} \\right\\}}")).hasValue("\\left\\{ x^{2} \\right\\}");
    }

    @Test
    void escapedBracesDoNotNest() {
        assertThat(extract("\\boxed{\\{1, 2\\}}")).hasValue("\\{1, 2\\}");
        assertThat(extract("\\boxed{\\}}")).hasValue("\\}");
    }

    @Test
    void onlyTheLastBoxCounts() {
        assertThat(extract("maybe \\boxed{1} or \\boxed{2}, finally \\boxed{3}")).hasValue("3");
    }

    @Test
    void anUnclosedLastBoxIsNoAnswerEvenAfterAClosedOne() {
        assertThat(extract("\\boxed{5} hmm, actually \\boxed{\\frac{7}{2}")).isEmpty();
        assertThat(extract("\\boxed{")).isEmpty();
        assertThat(extract("\\boxed{{}")).isEmpty();
    }

    @Test
    void noBoxIsNoAnswer() {
        assertThat(extract("the answer is 42")).isEmpty();
        assertThat(extract("")).isEmpty();
        assertThat(extract(null)).isEmpty();
        assertThat(extract("}{")).isEmpty();
    }

    @Test
    void anEmptyBoxIsNoAnswer() {
        assertThat(extract("\\boxed{}")).isEmpty();
        assertThat(extract("\\boxed{  }")).isEmpty();
    }

    @Test
    void fboxCountsAsABox() {
        assertThat(extract("\\boxed{1} then \\fbox{2}")).hasValue("2");
        assertThat(extract("\\fbox{2} then \\boxed{1}")).hasValue("1");
    }

    @Test
    void whitespaceMaySeparateTheCommandFromItsBrace() {
        assertThat(extract("\\boxed {12}")).hasValue("12");
    }

    @Test
    void otherCommandsStartingWithBoxedAreNotBoxes() {
        assertThat(extract("\\boxed{1} \\boxedanswer{2}")).hasValue("1");
        assertThat(extract("I will write \\boxed after \\boxed{7}: \\boxed")).hasValue("7");
    }

    @Test
    void aBoxInsideABoxIsTheLastBox() {
        assertThat(extract("\\boxed{\\boxed{5}}")).hasValue("5");
    }

    @Test
    void hugeResponsesTakeLinearTime() {
        String opens = "\\boxed{".repeat(1_000_000);
        String braces = "{".repeat(5_000_000);
        String commands = "\\boxed ".repeat(1_000_000);
        assertTimeout(Duration.ofSeconds(2), () -> {
            assertThat(extract(opens)).isEmpty();
            assertThat(extract("\\boxed" + braces)).isEmpty();
            assertThat(extract(commands + "\\boxed{9}")).hasValue("9");
            assertThat(extract("\\boxed{9}" + commands)).hasValue("9");
        });
    }
}
