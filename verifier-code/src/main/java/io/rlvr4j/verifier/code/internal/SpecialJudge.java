package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.verifier.code.internal.Judgement.Status;
import io.rlvr4j.verifier.code.internal.Judgement.TestOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Judges stdin/stdout tests with the problem's checker instead of comparing outputs, as open-r1's
 * Codeforces grader does with a {@code generated_checker}: for each test the program passes without
 * error, {@code python checker.py input.txt correct_output.txt solution_output.txt} runs, and the
 * test passes when the checker ends cleanly and prints {@code 1} (and nothing else). The checker runs
 * in the same sandbox and under the same limits as programs ({@code special_judge.py} serves it the
 * three files from memory); a checker that does not compile, times out or cannot run is a sandbox
 * error, not the program's fault; one that fails on an output rejects it.
 */
final class SpecialJudge {

    private static final String TEMPLATE = Language.resource("special_judge.py");

    private SpecialJudge() {}

    /** {@return the judgement of {@code program} on {@code suite}, whose checker decides each test} */
    static Judgement judge(Sandbox sandbox, String program, TestSuite.Stdio suite, boolean stopAtFirstFailure) {
        long t0 = System.nanoTime();
        Map<Integer, String> printed = new ConcurrentHashMap<>();
        Judgement run = sandbox.judge(program, suite, (i, expected, actual) -> {
            printed.put(i, actual);
            return true; // the checker decides, below
        }, stopAtFirstFailure);
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < run.tests().size(); i++) {
            if (run.tests().get(i).status() == Status.PASSED) {
                cases.add(Json.write(List.of(suite.inputs().get(i), suite.outputs().get(i), printed.get(i))));
            }
        }
        Judgement verdicts = cases.isEmpty() ? null : sandbox.judge(checkerProgram(suite.checker()),
                new TestSuite.Stdio(cases, Collections.nCopies(cases.size(), "1")), OutputMatcher.EXACT_TOKENS, stopAtFirstFailure);
        List<TestOutcome> merged = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < run.tests().size(); i++) {
            TestOutcome o = run.tests().get(i);
            if (o.status() == Status.PASSED) {
                if (verdicts == null || k >= verdicts.tests().size()) break; // the checker stopped at an earlier test
                o = verdict(verdicts.tests().get(k++), suite.outputs().get(i), printed.get(i));
            }
            merged.add(o);
            if (stopAtFirstFailure && o.status() != Status.PASSED) break;
        }
        return new Judgement(merged, suite.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@return the program that runs {@code checker} on the three texts its stdin gives} */
    static String checkerProgram(String checker) {
        return TEMPLATE.replace("__CHECKER_SOURCE__", Base64.getEncoder().encodeToString(checker.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return what the checker's run says of the program's output} */
    private static TestOutcome verdict(TestOutcome checker, String expected, String actual) {
        String error = checker.error();
        return switch (checker.status()) {
            case PASSED -> TestOutcome.passed();
            case WRONG_ANSWER -> new TestOutcome(Status.WRONG_ANSWER, Judgement.shorten(expected), Judgement.shorten(actual),
                    "the checker rejected the output (it printed " + quoted(checker.actual()) + ")");
            case COMPILE_ERROR -> TestOutcome.failed(Status.SANDBOX_ERROR, "the problem's checker does not compile: " + error);
            case RUNTIME_ERROR -> error != null && error.matches("(SyntaxError|IndentationError|TabError)\\b.*")
                    ? TestOutcome.failed(Status.SANDBOX_ERROR, "the problem's checker does not compile: " + error)
                    // a checker that cannot read an output (int('abc')) rejects it, as a judge does
                    : new TestOutcome(Status.WRONG_ANSWER, Judgement.shorten(expected), Judgement.shorten(actual),
                            "the checker failed on the output: " + error);
            case OUTPUT_LIMIT -> new TestOutcome(Status.WRONG_ANSWER, Judgement.shorten(expected), Judgement.shorten(actual),
                    "the checker rejected the output (" + error + ")");
            case TIMEOUT, SANDBOX_ERROR -> TestOutcome.failed(Status.SANDBOX_ERROR, "the problem's checker did not finish: " + error);
        };
    }

    private static String quoted(String s) {
        return s == null || s.isBlank() ? "nothing" : "'" + s.strip() + "'";
    }
}
