package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NumericAnswerComparatorTest {

    private final NumericAnswerComparator comparator = new NumericAnswerComparator();

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            42               | 42
            72.0             | 72
            0.5              | \\frac{1}{2}
            1/2              | \\frac{1}{2}
            \\dfrac{1}{2}    | 0.5
            \\tfrac12        | .5
            -\\frac{3}{4}    | -0.75
            \\frac{-3}{4}    | -3/4
            6/8              | 3/4
            1,000            | 1000
            1,234,567.50     | 1234567.5
            +5               | 5
            −5               | -5
            $5$              | 5
            \\(5\\)          | 5
            5.               | 5
            {5}              | 5
            \\text{5}        | 5
            "$$ 12 $$"       | 12
            "x^2 + 1"        | x^2+1
            \\frac{\\pi}{2}  | \\frac{\\pi}{2}
            "1\\,000"        | 1000
            1/3              | 0.3333333333333
            0.142857142857   | 1/7
            2.5/5            | 0.5
            """)
    void equivalentAnswers(String candidate, String reference) {
        assertThat(comparator.equivalent(candidate, reference)).isTrue();
        assertThat(comparator.equivalent(reference, candidate)).as("symmetric").isTrue();
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            2                | 3
            1000000001       | 1000000000
            0.1000000001     | 0.1
            1/3              | 0.33
            1/3              | 0.333333
            1,2              | 12
            1,00             | 100
            "\\pi r"         | \\pir
            -5               | 5
            \\frac{1}{0}     | 0
            1e3              | 1000
            NaN              | NaN0
            x                | y
            """)
    void differentAnswers(String candidate, String reference) {
        assertThat(comparator.equivalent(candidate, reference)).isFalse();
        assertThat(comparator.equivalent(reference, candidate)).as("symmetric").isFalse();
    }

    @Test
    void emptyAnswersAreNeverEquivalent() {
        assertThat(comparator.equivalent("", "")).isFalse();
        assertThat(comparator.equivalent("$ $", "")).isFalse();
    }

    @Test
    void identicalTextIsEquivalentEvenWhenItIsNotANumber() {
        assertThat(comparator.equivalent("\\frac{1}{0}", "\\frac{1}{0}")).isTrue();
        assertThat(comparator.equivalent("(1, 2)", "(1,2)")).isTrue();
    }

    @Test
    void hugeNumbersAreNotParsed() {
        String big = "9".repeat(ExactNumber.MAX_LENGTH + 1);
        assertThat(ExactNumber.parse(big)).isEmpty();
        assertThat(comparator.equivalent(big, big + ".0")).isFalse();
        assertThat(comparator.equivalent(big, big)).isTrue();
    }

    @Test
    void fractionsAreReducedExactly() {
        ExactNumber n = ExactNumber.parse("-\\frac{10}{4}").orElseThrow();
        assertThat(n.numerator()).hasToString("-5");
        assertThat(n.denominator()).hasToString("2");
        assertThat(n.terminating()).isTrue();
        assertThat(ExactNumber.parse("1/3").orElseThrow().terminating()).isFalse();
    }
}
