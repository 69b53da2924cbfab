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

    // ---------------------------------------------------------------- as real judges judge

    @Test
    void stdinReadsAsBytesAndThroughOpenZeroAsOnAJudge() {
        for (String code : List.of(
                "import sys\na, b = map(int, sys.stdin.buffer.read().split())\nsys.stdout.buffer.write(b'%d\\n' % (a + b))",
                "import sys\ninput = sys.stdin.buffer.readline\na, b = map(int, input().split())\nprint(a + b)",
                "a, b = map(int, open(0).read().split())\nprint(a + b)",
                "with open('/dev/stdin') as f:\n    print(sum(map(int, f.read().split())))",
                "import sys\nprint(sum(map(int, open(0, 'rb').read().split())))\nsys.stdout.flush()")) {
            RewardResult r = verifier.score(SUM, python(code));
            assertThat(r.outcome()).as("%s: %s", code, r.details()).isEqualTo(Outcome.CORRECT);
        }
    }

    @Test
    void recursionGoesAsDeepAsTheProgramAsksWithinTheCap() {
        String code = "import sys\nsys.setrecursionlimit(10**6)\ndef depth(n): return 0 if n == 0 else 1 + depth(n - 1)\n"
                + "a, b = map(int, input().split())\nprint(depth(60000) - 60000 + a + b)";
        RewardResult r = verifier.score(SUM, python(code));
        assertThat(r.outcome()).as("60,000 frames, past the old fixed cap of 10,000: %s", r.details()).isEqualTo(Outcome.CORRECT);
        try (Verifier shallow = create(Map.of("max_stack_frames", 2000, "concurrency", 1))) {
            RewardResult capped = shallow.score(SUM, python(code));
            assertThat(capped.outcome()).as("over max_stack_frames: %s", capped.details()).isNotEqualTo(Outcome.CORRECT);
        }
    }

    static final String TWO_SUM_TEST = """
            def check(candidate):
                assert candidate(nums=[2, 7, 11, 15], target=9) == [0, 1]
                assert candidate(nums=[3, 2, 4], target=6) == [1, 2]
            """;

    static Problem leetCode(String test, String entryPoint) {
        return new Problem("lc", "code", "Given nums and target, return the indices of the two numbers that add up to target.", List.of(),
                null, Map.of("test", test, "entry_point", entryPoint));
    }

    @Test
    void anEntryPointMayBeAMethodOfAnObjectWithTheLeetCodePrelude() {
        String solution = """
                class Solution:
                    def twoSum(self, nums: List[int], target: int) -> List[int]:
                        seen = {}
                        for i, x in enumerate(nums):
                            if target - x in seen:
                                return [seen[target - x], i]
                            seen[x] = i
                """;
        try (Verifier lc = create(Map.of("prelude", "leetcode", "concurrency", 1))) {
            RewardResult r = lc.score(leetCode(TWO_SUM_TEST, "Solution().twoSum"), python(solution));
            assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
            String reverse = """
                    class Solution:
                        def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:
                            prev = None
                            while head:
                                head.next, prev, head = prev, head, head.next
                            return prev
                    """;
            String test = "def check(candidate):\n    assert is_same_list(candidate(head=list_node([1, 2, 3])), list_node([3, 2, 1]))\n"
                    + "    assert candidate(head=list_node([])) is None\n";
            RewardResult lists = lc.score(leetCode(test, "Solution().reverseList"), python(reverse));
            assertThat(lists.outcome()).as(lists.details().toString()).isEqualTo(Outcome.CORRECT);
        }
        RewardResult bare = verifier.score(leetCode(TWO_SUM_TEST, "Solution().twoSum"), python(solution));
        assertThat(bare.details().get("error")).as("without the prelude, List is not defined").contains("NameError");
        Problem own = new Problem("lc", "code", "q", List.of(), null,
                Map.of("test", TWO_SUM_TEST, "entry_point", "Solution().twoSum", "prelude", "from typing import List\n"));
        assertThat(verifier.score(own, python(solution)).outcome()).as("the problem's own prelude").isEqualTo(Outcome.CORRECT);
        Problem prose = new Problem("lc", "code", "Given nums and target, return the indices.", List.of(), null,
                Map.of("test", TWO_SUM_TEST, "entry_point", "Solution().twoSum", "prelude", "from typing import List\n", "code_prompt", ""));
        RewardResult noClass = verifier.score(prose, python("def twoSum(nums, target):\n    return [0, 1]"));
        assertThat(noClass.details().get("error")).as("code_prompt \"\": the prose prompt does not go before the program")
                .contains("NameError", "Solution");
    }

    @Test
    void liveCodeBenchFunctionalTestsCallTheSolutionMethod() {
        Problem p = new Problem("lcb", "code", "Two sum.", List.of(), null, Map.of("fn_name", "twoSum",
                "inputs", List.of(List.of(List.of(2, 7, 11, 15), 9), List.of(List.of(3, 3), 6)), "outputs", List.of(List.of(0, 1), List.of(0, 1))));
        String solution = """
                class Solution:
                    def twoSum(self, nums: List[int], target: int) -> List[int]:
                        seen = {}
                        for i, x in enumerate(nums):
                            if target - x in seen:
                                return [seen[target - x], i]
                            seen[x] = i
                """;
        try (Verifier lc = create(Map.of("prelude", "leetcode", "concurrency", 1))) {
            RewardResult r = lc.score(p, python(solution));
            assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
            assertThat(r.details()).containsEntry("passed_tests", "2");
        }
    }

    @Test
    void anAlwaysEqualObjectDoesNotPassAFunctionTest() {
        Problem p = new Problem("he", "code", "def add(a, b):\n", List.of(), null,
                Map.of("test", "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(2, 2) == 4\n", "entry_point", "add"));
        for (String hack : List.of(
                "class E:\n    def __eq__(self, other): return True\ndef add(a, b): return E()",
                "class E(int):\n    def __eq__(self, other): return True\n    __hash__ = int.__hash__\ndef add(a, b): return E(0)",
                "class E:\n    __module__ = 'builtins'\n    def __eq__(self, other): return True\ndef add(a, b): return [E()][0]",
                "class E:\n    def __eq__(self, other): return True\nclass Box:\n    def __init__(self): self.v = E()\n"
                        + "def add(a, b):\n    return [Box(), E()][1]",
                "import unittest.mock\ndef add(a, b): return unittest.mock.ANY")) {
            RewardResult r = verifier.score(p, python(hack));
            assertThat(r.outcome()).as("%s: %s", hack, r.details()).isNotEqualTo(Outcome.CORRECT);
        }
        RewardResult caught = verifier.score(p, python("class E:\n    def __eq__(self, other): return True\ndef add(a, b): return E()"));
        assertThat(caught.details()).containsEntry("status", "wrong_answer");
        assertThat(caught.details().get("error")).contains("__eq__");
        RewardResult plainClass = verifier.score(p, python("class Adder:\n    pass\ndef add(a, b):\n    Adder()\n    return a + b"));
        assertThat(plainClass.outcome()).as("an honest program with a class of its own").isEqualTo(Outcome.CORRECT);
    }

    static Problem callBased(List<?> inputs, List<?> outputs) {
        return new Problem("apps", "code", "Write add(a, b).", List.of(), null, Map.of("fn_name", "add", "inputs", inputs, "outputs", outputs));
    }

    @Test
    void callBasedTestsCallTheFunctionWithEachTestsArguments() {
        Problem p = callBased(List.of(List.of(1, 2), List.of(-1, 1), List.of(List.of(1, 2), List.of(3))),
                List.of(List.of(3), 0, List.of(List.of(1, 2, 3))));
        String function = "def add(a, b):\n    return a + b";
        RewardResult f = verifier.score(p, python(function));
        assertThat(f.outcome()).as("a function; outputs wrapped in a list or not: %s", f.details()).isEqualTo(Outcome.CORRECT);
        assertThat(f.details()).containsEntry("passed_tests", "3");
        RewardResult method = verifier.score(p, python("class Solution:\n    def add(self, a, b):\n        return a + b"));
        assertThat(method.outcome()).as("a method of class Solution: %s", method.details()).isEqualTo(Outcome.CORRECT);
        Problem tuple = callBased(List.of(List.of(1, 2)), List.of(List.of(List.of(1, 2))));
        assertThat(verifier.score(tuple, python("def add(a, b):\n    return (a, b)")).outcome()).as("a tuple is a list").isEqualTo(Outcome.CORRECT);
        RewardResult wrong = verifier.score(p, python("def add(a, b):\n    return a - b"));
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(wrong.details()).containsEntry("status", "wrong_answer").containsEntry("failed_test", "0");
        assertThat(wrong.details().get("error")).contains("expected [3]", "got -1");
        RewardResult hack = verifier.score(p, python("class E:\n    def __eq__(self, o): return True\ndef add(a, b): return E()"));
        assertThat(hack.outcome()).as(hack.details().toString()).isEqualTo(Outcome.WRONG);
        RewardResult missing = verifier.score(p, python("def plus(a, b):\n    return a + b"));
        assertThat(missing.details().get("error")).contains("NameError", "add");
    }

    @Test
    void argumentListsWithoutAFunctionNameAreAnErrorThatSaysSo() {
        Problem p = new Problem("apps", "code", "q", List.of(), null, Map.of("inputs", List.of(List.of(1, 2)), "outputs", List.of(3)));
        RewardResult r = verifier.score(p, python("print(3)"));
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.details().get("reason")).contains("fn_name");
    }

    /** Any two numbers with the given sum: several right answers, so only a checker can judge (open-r1's generated_checker form). */
    static final String PAIR_CHECKER = """
            import sys

            def main():
                with open(sys.argv[1]) as f:
                    n = int(f.read())
                with open(sys.argv[2], 'rb') as f:  # the jury's answer, which any other pair may replace
                    f.read()
                try:
                    with open(sys.argv[3]) as f:
                        a, b = map(int, f.read().split())
                except ValueError:
                    print(0)
                    return
                print(1 if a + b == n and a >= 0 and b >= 0 else 0)

            if __name__ == '__main__':
                main()
            """;

    static Problem withChecker(String checker) {
        return new Problem("pair", "code", "Print two non-negative numbers summing to n.", List.of(), null,
                Map.of("inputs", List.of("5\n", "8\n", "0\n"), "outputs", List.of("2 3\n", "4 4\n", "0 0\n"), "checker", checker));
    }

    @Test
    void aCheckerAcceptsAnyRightAnswerAndRejectsWrongOnes() {
        Problem p = withChecker(PAIR_CHECKER);
        RewardResult other = verifier.score(p, python("n = int(input())\nprint(n, 0)"));
        assertThat(other.outcome()).as("an answer unlike the jury's, which the checker accepts: " + other.details()).isEqualTo(Outcome.CORRECT);
        assertThat(other.details()).containsEntry("judge", "checker").containsEntry("passed_tests", "3");

        RewardResult wrong = verifier.score(p, python("n = int(input())\nprint(n, 1 if n == 8 else 0)"));
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(wrong.details()).containsEntry("failed_test", "1").containsEntry("got", "8 1\n").containsEntry("expected", "4 4\n")
                .containsEntry("error", "the checker rejected the output (it printed '0')");

        RewardResult garbage = verifier.score(p, python("print('many numbers')"));
        assertThat(garbage.outcome()).as("an output the checker cannot read is rejected").isEqualTo(Outcome.WRONG);

        RewardResult crash = verifier.score(p, python("raise ValueError('no')"));
        assertThat(crash.details()).as("the program's own error, before any checker").containsEntry("status", "runtime_error")
                .containsEntry("failed_test", "0");
    }

    @Test
    void aCheckerDecidesEachTestUnderFractionScoring() {
        Verifier fraction = create(Map.of("scoring", "fraction"));
        try {
            RewardResult r = fraction.score(withChecker(PAIR_CHECKER), python("n = int(input())\nprint(n - 1, 1) if n else print(-1, 1)"));
            assertThat(r.details()).as("5 and 8 pass, 0 fails").containsEntry("passed_tests", "2").containsEntry("failed_test", "2");
            assertThat(r.score()).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        } finally {
            fraction.close();
        }
    }

    @Test
    void theCheckerMustPrintOneAndEndCleanly() {
        String program = python("n = int(input())\nprint(n, 0)");
        // exits 0 after printing 1: accepted; prints 1 then fails, or prints more than 1: not
        assertThat(verifier.score(withChecker("import sys\nprint(1)\nsys.exit(0)"), program).outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(verifier.score(withChecker("import sys\nprint(1)\nsys.exit(1)"), program).outcome()).isEqualTo(Outcome.WRONG);
        assertThat(verifier.score(withChecker("print('1 ok')"), program).outcome()).isEqualTo(Outcome.WRONG);
        // a checker that cannot run is the problem's fault: an error, not a wrong answer
        RewardResult broken = verifier.score(withChecker("def main(:\n  pass"), program);
        assertThat(broken.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(broken.details().get("error")).startsWith("the problem's checker does not compile: SyntaxError");
        // pathlib and io.open read the files too, text with universal newlines as a real file
        String pathlib = "import io, pathlib, sys\nout = pathlib.Path(sys.argv[3]).read_text()\nn = int(io.open('./input.txt').read())\n"
                + "print(1 if '\\r' not in out and sum(map(int, out.split())) == n else 0)";
        assertThat(verifier.score(withChecker(pathlib), python("import sys\nn = int(input())\nsys.stdout.write(str(n) + ' 0\\r\\n')")).outcome())
                .isEqualTo(Outcome.CORRECT);
        // the checker may not write the files it reads
        RewardResult writes = verifier.score(withChecker("import sys\nopen(sys.argv[3], 'w').write('2 3')\nprint(1)"), program);
        assertThat(writes.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(writes.details().get("error")).contains("PermissionError");
    }
}
