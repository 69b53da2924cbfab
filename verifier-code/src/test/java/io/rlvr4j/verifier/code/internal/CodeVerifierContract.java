package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The code verifier with a real sandbox: judging, limits and scoring; each sandbox runs the same contract. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CodeVerifierContract {

    Verifier verifier;

    /** {@return the sandbox's settings} */
    abstract Map<String, Object> sandbox();

    Verifier create(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.putAll(sandbox());
        return new CodeRewardFunction().create(Settings.of(all));
    }

    @BeforeAll
    void start() {
        verifier = create(Map.of("time_limit_ms", 1000, "wall_limit_ms", 2000));
    }

    @AfterAll
    void stop() {
        verifier.close();
    }

    static Problem stdio(List<String> inputs, List<String> outputs) {
        return new Problem("p", "code", "Sum the numbers.", List.of(), null, Map.of("inputs", inputs, "outputs", outputs));
    }

    static String python(String code) {
        return "Here is my solution.\n```python\n" + code + "\n```\n";
    }

    static final Problem SUM = stdio(List.of("1 2\n", "10 -3\n", "0 0\n"), List.of("3\n", "7\n", "0\n"));

    @Test
    void aCorrectProgramPassesEveryTest() {
        RewardResult r = verifier.score(SUM, python("a, b = map(int, input().split())\nprint(a + b)"));
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
        assertThat(r.reward()).isEqualTo(1.0);
        assertThat(r.details()).containsEntry("passed_tests", "3").containsEntry("total_tests", "3").containsKey("millis");
    }

    @Test
    void eachTestHasItsOwnNamespaceAndStdin() {
        // a global left by one test must not exist in the next; stdin must not carry over
        String code = """
                import sys
                if 'seen' in globals():
                    print('leak')
                seen = True
                print(sum(map(int, sys.stdin.read().split())))
                """;
        RewardResult r = verifier.score(SUM, python(code));
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void aWrongAnswerNamesTheTestAndBothOutputs() {
        RewardResult r = verifier.score(SUM, python("a, b = map(int, input().split())\nprint(a - b if a > 5 else a + b)"));
        assertThat(r.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(r.reward()).isZero();
        assertThat(r.details()).containsEntry("failed_test", "1").containsEntry("status", "wrong_answer")
                .containsEntry("expected", "7\n").containsEntry("got", "13\n");
    }

    @Test
    void runtimeAndCompileErrorsAreReported() {
        RewardResult crash = verifier.score(SUM, python("print(1 // 0)"));
        assertThat(crash.details()).containsEntry("status", "runtime_error").containsEntry("failed_test", "0");
        assertThat(crash.details().get("error")).startsWith("ZeroDivisionError");
        RewardResult syntax = verifier.score(SUM, python("def f(:\n  pass"));
        assertThat(syntax.details()).containsEntry("status", "compile_error");
        assertThat(syntax.details().get("error")).contains("SyntaxError");
    }

    @Test
    void noCodeBlockIsNoAnswer() {
        RewardResult r = verifier.score(SUM, "a, b = map(int, input().split())\nprint(a + b)");
        assertThat(r.outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(r.details().get("reason")).contains("no ```python code block");
    }

    @Test
    void exitingCleanlyIsNotAnError() {
        RewardResult r = verifier.score(SUM, python("import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.exit(0)"));
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
        RewardResult bad = verifier.score(SUM, python("import sys\nsys.exit(3)"));
        assertThat(bad.details()).containsEntry("status", "runtime_error");
    }

    @Test
    void humanEvalStyleTestsRunCheckOnTheEntryPoint() {
        String prompt = "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n";
        String test = "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n";
        Problem p = new Problem("he", "code", prompt, List.of(), null, Map.of("test", test, "entry_point", "add"));
        RewardResult body = verifier.score(p, python("    return a + b"));
        assertThat(body.outcome()).as("a completion of the prompt: %s", body.details()).isEqualTo(Outcome.CORRECT);
        RewardResult whole = verifier.score(p, python("def add(a, b):\n    return b + a"));
        assertThat(whole.outcome()).as("a whole function: %s", whole.details()).isEqualTo(Outcome.CORRECT);
        RewardResult wrong = verifier.score(p, python("def add(a, b):\n    return a * b"));
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(wrong.details()).containsEntry("status", "wrong_answer");
        assertThat(wrong.details().get("error")).startsWith("AssertionError");
    }

    @Test
    void theFractionScoringPaysForEachPassedTest() {
        try (Verifier fraction = create(Map.of("scoring", "fraction", "concurrency", 1))) {
            RewardResult r = fraction.score(SUM, python("a, b = map(int, input().split())\nprint(a + b if a < 5 else 0)"));
            assertThat(r.score()).isEqualTo(2.0 / 3);
            assertThat(r.reward()).isEqualTo(2.0 / 3);
            assertThat(r.outcome()).isEqualTo(Outcome.WRONG);
            assertThat(r.details()).containsEntry("passed_tests", "2").containsEntry("failed_test", "1");
        }
    }

    @Test
    void aTimeOutCostsOnlyItsOwnTestUnderFractionScoring() {
        try (Verifier fraction = create(Map.of("scoring", "fraction", "time_limit_ms", 300, "concurrency", 1))) {
            RewardResult r = fraction.score(SUM, python("a, b = map(int, input().split())\nwhile a == 10: pass\nprint(a + b)"));
            assertThat(r.details()).as("the tests after it run in a fresh context").containsEntry("passed_tests", "2")
                    .containsEntry("failed_test", "1").containsEntry("status", "timeout");
            assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(r.score()).isEqualTo(2.0 / 3);
        }
    }

    @Test
    void problemsWithoutTestsAreErrorsThatSayWhatIsMissing() {
        RewardResult r = verifier.score(Problem.of("x", "code", "q", null), python("print(1)"));
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.details().get("reason")).contains("\"inputs\" and \"outputs\"").contains("\"test\" and \"entry_point\"");
    }
}
