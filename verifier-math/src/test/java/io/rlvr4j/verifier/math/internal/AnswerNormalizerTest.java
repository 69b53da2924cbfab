package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerNormalizerTest {

    @Test
    void peelsNestedWrappersAndTheTrailingPeriod() {
        assertThat(AnswerNormalizer.normalize(" $\\text{ 12 }$. ")).isEqualTo("12");
        assertThat(AnswerNormalizer.normalize("\\[ {\\mathbf{x = 3}} \\]")).isEqualTo("x=3");
    }

    @Test
    void keepsWrappersThatDoNotEncloseTheWholeAnswer() {
        assertThat(AnswerNormalizer.normalize("$1$ or $2$")).isEqualTo("$1$or$2$");
        assertThat(AnswerNormalizer.normalize("{1}+{2}")).isEqualTo("{1}+{2}");
    }

    @Test
    void removesSpacingButKeepsWordsApart() {
        assertThat(AnswerNormalizer.normalize("\\displaystyle 1\\,000 \\! + ~ x")).isEqualTo("1000+x");
        assertThat(AnswerNormalizer.normalize("\\pi   r")).isEqualTo("\\pi r");
    }
}
