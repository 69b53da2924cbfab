package io.rlvr4j.verifier.code.internal;

import java.util.List;

/**
 * The result of running one program against its tests.
 *
 * @param tests one outcome per test, in order; tests not run (after a failure, when the first
 *     failure decides) are absent
 * @param total how many tests the suite has
 * @param millis wall time of the whole judgement
 */
record Judgement(List<TestOutcome> tests, int total, long millis) {

    Judgement {
        tests = List.copyOf(tests);
    }

    /** How one test ended. */
    enum Status {
        PASSED, WRONG_ANSWER, RUNTIME_ERROR, TIMEOUT, OUTPUT_LIMIT, COMPILE_ERROR, SANDBOX_ERROR
    }

    /**
     * @param status how it ended
     * @param expected the expected output (stdio tests), else null
     * @param actual what the program printed (shortened), else null
     * @param error the error type and message, e.g. {@code ZeroDivisionError: division by zero}, else null
     */
    record TestOutcome(Status status, String expected, String actual, String error) {
        static TestOutcome passed() {
            return new TestOutcome(Status.PASSED, null, null, null);
        }

        static TestOutcome failed(Status status, String error) {
            return new TestOutcome(status, null, null, error);
        }
    }

    /** {@return s cut to 300 characters, saying how long it was}: what details show of outputs and errors */
    static String shorten(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " chars)";
    }

    long passed() {
        return tests.stream().filter(t -> t.status() == Status.PASSED).count();
    }

    boolean allPassed() {
        return passed() == total;
    }

    /** {@return the index of the first test that did not pass}, or -1 */
    int firstFailure() {
        for (int i = 0; i < tests.size(); i++) {
            if (tests.get(i).status() != Status.PASSED) return i;
        }
        return -1;
    }
}
