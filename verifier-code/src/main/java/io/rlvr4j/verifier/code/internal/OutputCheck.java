package io.rlvr4j.verifier.code.internal;

/**
 * Decides whether a program's output to one stdin/stdout test is right: {@link OutputMatcher}
 * compares it with the expected output; {@link SpecialJudge} collects it for a problem's checker.
 */
@FunctionalInterface
interface OutputCheck {

    /**
     * @param test the test's index in its suite
     * @param expected the expected output
     * @param actual what the program printed
     */
    boolean accepts(int test, String expected, String actual);
}
