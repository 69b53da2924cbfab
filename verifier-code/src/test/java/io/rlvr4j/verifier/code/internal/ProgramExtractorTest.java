package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgramExtractorTest {

    private final ProgramExtractor python = ProgramExtractor.forLanguage(Language.PYTHON);

    @Test
    void takesTheLastBlockOfTheLanguage() {
        String r = """
                First try:
                ```python
                print(1)
                ```
                Better:
                ```py
                print(2)
                ```
                And in C++ for comparison:
                ```cpp
                int main() {}
                ```
                """;
        assertThat(python.extract(r)).hasValue("print(2)\n");
    }

    @Test
    void anUnlabelledBlockCountsOnlyWhenNoneIsLabelled() {
        assertThat(python.extract("```\nprint(3)\n```")).hasValue("print(3)\n");
        assertThat(python.extract("```python\nprint(1)\n```\n```\nprint(3)\n```")).hasValue("print(1)\n");
        assertThat(python.extract("```java\nclass A {}\n```")).as("another language is no program").isEmpty();
    }

    @Test
    void noBlockOrAnUnclosedOneIsNoProgram() {
        assertThat(python.extract("print(1)")).isEmpty();
        assertThat(python.extract("```python\nprint(1)\n")).as("cut at the token budget").isEmpty();
        assertThat(python.extract("```python\n\n```")).isEmpty();
        assertThat(python.extract(null)).isEmpty();
    }

    @Test
    void longerFencesHoldShorterOnes() {
        String r = "````python\ns = '''```'''\nprint(s)\n````";
        assertThat(python.extract(r)).hasValue("s = '''```'''\nprint(s)\n");
    }
}
