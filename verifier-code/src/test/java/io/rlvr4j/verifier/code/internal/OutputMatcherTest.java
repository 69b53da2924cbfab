package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputMatcherTest {

    @Test
    void comparesTokensIgnoringWhiteSpace() {
        OutputMatcher m = OutputMatcher.EXACT_TOKENS;
        assertThat(m.matches("1 2\n3\n", "1 2\n3")).isTrue();
        assertThat(m.matches("1 2\n3\n", "1  2 \t\n3   \n\n")).isTrue();
        assertThat(m.matches("1 2 3", "1 2")).isFalse();
        assertThat(m.matches("YES", "yes")).isFalse();
        assertThat(m.matches("0.5", "0.50")).as("no tolerance: tokens must be equal").isFalse();
        assertThat(m.matches("", "\n")).isTrue();
    }

    @Test
    void aToleranceAppliesToDecimalNumbersOnly() {
        OutputMatcher m = new OutputMatcher(1e-6);
        assertThat(m.matches("0.5", "0.5000001")).isTrue();
        assertThat(m.matches("1000000", "1000000.5")).as("relative").isTrue();
        assertThat(m.matches("0.5", "0.51")).isFalse();
        assertThat(m.matches("1.5", "1.5d")).as("Java's number syntax is not Python's").isFalse();
        assertThat(m.matches("NaN", "NaN")).as("equal tokens").isTrue();
        assertThat(m.matches("1", "NaN")).isFalse();
    }
}
