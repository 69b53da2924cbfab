package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** JavaScript programs in GraalJS: the ways judges' programs read stdin and print, the test styles, the limits, hostile programs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaScriptSandboxTest {

    Verifier verifier;

    static final Problem SUM = CodeVerifierContract.stdio(List.of("1 2\n", "10 -3\n", "0 0\n"), List.of("3\n", "7\n", "0\n"));

    @BeforeAll
    void start() {
        verifier = new CodeRewardFunction().create(Settings.of(Map.of("language", "javascript", "time_limit_ms", 1000,
                "wall_limit_ms", 2000, "output_limit_bytes", 100_000)));
    }

    @AfterAll
    void stop() {
        verifier.close();
    }

    static String js(String code) {
        return "Here it is.\n```javascript\n" + code + "\n```";
    }

    RewardResult score(Problem p, String code) {
        return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> verifier.score(p, js(code)));
    }

    /** The ways competitive JavaScript reads its input, each in its own program: all must pass the three tests. */
    static Stream<Arguments> readers() {
        return Stream.of(
                Arguments.of("readline()", "const [a, b] = readline().split(' ').map(Number);\nconsole.log(a + b);"),
                Arguments.of("fs.readFileSync(0)", "const fs = require('fs');\nconst [a, b] = fs.readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
                        + "process.stdout.write(String(a + b) + '\\n');"),
                Arguments.of("/dev/stdin", "const t = require('node:fs').readFileSync('/dev/stdin').toString();\nlet s = 0;\n"
                        + "for (const x of t.split(/\\s+/)) if (x) s += parseInt(x);\nprint(s);"),
                Arguments.of("process.stdin events", "let data = '';\nprocess.stdin.setEncoding('utf8');\nprocess.stdin.on('data', c => data += c);\n"
                        + "process.stdin.on('end', () => { const [a, b] = data.split(' ').map(Number); console.log(a + b); });"),
                Arguments.of("async main", "async function main() {\n  const line = await Promise.resolve(readline());\n"
                        + "  const [a, b] = line.split(' ').map(Number);\n  console.log(a + b);\n}\nmain();"),
                Arguments.of("readline module bound to readline", "const readline = require('readline');\n"
                        + "const rl = readline.createInterface({ input: process.stdin, output: process.stdout });\n"
                        + "rl.on('line', (line) => {\n  const [a, b] = line.split(' ').map(Number);\n  console.log(a + b);\n  rl.close();\n});"),
                Arguments.of("readline interface", "const rl = require('readline').createInterface({ input: process.stdin });\nconst lines = [];\n"
                        + "rl.on('line', l => lines.push(l)).on('close', () => {\n  const [a, b] = lines[0].split(' ').map(Number);\n  console.log(a + b);\n});"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void readsStdinTheWaysJudgesDo(String how, String code) {
        RewardResult r = score(SUM, code);
        assertThat(r.outcome()).as("%s: %s", how, r.details()).isEqualTo(Outcome.CORRECT);
        assertThat(r.details()).containsEntry("passed_tests", "3");
    }

    @Test
    void topLevelDeclarationsAreFreshInEveryTest() {
        // a const at top level would be redeclared if the tests shared one global scope
        RewardResult r = score(SUM, "const seen = [];\nlet total = 0;\nfor (const x of readline().split(' ')) { seen.push(x); total += +x; }\n"
                + "globalThis.calls = (globalThis.calls || 0) + 1;\nconsole.log(total);");
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void consoleLogFormatsValuesAsNodeDoes() {
        Problem p = CodeVerifierContract.stdio(List.of(""), List.of("[ 1, 2, 3 ] { a: 1, b: 'x' } [] true null 2.5 10n\n"));
        RewardResult r = score(p, "console.log([1, 2, 3], {a: 1, b: 'x'}, [], true, null, 2.5, 10n);");
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void aWrongAnswerAndErrorsAreReported() {
        RewardResult wrong = score(SUM, "console.log(42);");
        assertThat(wrong.details()).containsEntry("status", "wrong_answer").containsEntry("expected", "3\n").containsEntry("got", "42\n");
        RewardResult thrown = score(SUM, "null.x;");
        assertThat(thrown.details()).containsEntry("status", "runtime_error");
        assertThat(thrown.details().get("error")).startsWith("TypeError");
        RewardResult syntax = score(SUM, "console.log(1 +;");
        assertThat(syntax.details()).containsEntry("status", "compile_error");
        assertThat(syntax.details().get("error")).contains("SyntaxError");
        RewardResult exit = score(SUM, "console.log(3);\nprocess.exit(2);");
        assertThat(exit.details()).containsEntry("status", "runtime_error").containsEntry("error", "process.exit(2)");
        RewardResult unknown = score(SUM, "require('child_process').execSync('id');");
        assertThat(unknown.details().get("error")).contains("Cannot find module 'child_process'");
    }

    @Test
    void aPythonBlockIsNoProgram() {
        RewardResult r = verifier.score(SUM, "```python\nprint(3)\n```");
        assertThat(r.outcome()).isEqualTo(Outcome.NO_ANSWER);
    }

    static Problem function(String prompt, String test, String entryPoint) {
        return new Problem("f", "code", prompt, List.of(), null, Map.of("test", test, "entry_point", entryPoint));
    }

    @Test
    void humanEvalStyleCheckRunsOnTheEntryPoint() {
        Problem p = function("/* Return the sum of a list. */\nconst sumList = (xs) => {\n",
                "function check(candidate) {\n  if (candidate([1, 2, 3]) !== 6) throw new Error('sum of [1,2,3]');\n  if (candidate([]) !== 0) throw new Error('empty');\n}",
                "sumList");
        // a completion continues the prompt's body
        assertThat(score(p, "  return xs.reduce((a, b) => a + b, 0);\n};").outcome()).isEqualTo(Outcome.CORRECT);
        // a whole function replaces the prompt
        assertThat(score(p, "function sumList(xs) { let s = 0; for (const x of xs) s += x; return s; }").outcome()).isEqualTo(Outcome.CORRECT);
        RewardResult wrong = score(p, "function sumList(xs) { return xs.length; }");
        assertThat(wrong.details()).containsEntry("status", "runtime_error");
        assertThat(wrong.details().get("error")).isEqualTo("Error: sum of [1,2,3]");
    }

    @Test
    void multiplEStyleAssertTestsAndHumanEvalXConsoleAssert() {
        Problem multiple = function("", "const assert = require('node:assert');\nfunction test() {\n  let candidate = add;\n"
                + "  assert.deepEqual(candidate(2, 3), 5);\n  assert.deepStrictEqual([candidate(1, 1)], [2]);\n}\ntest();", "add");
        assertThat(score(multiple, "function add(a, b) { return a + b; }").outcome()).isEqualTo(Outcome.CORRECT);
        RewardResult failed = score(multiple, "function add(a, b) { return a * b; }");
        assertThat(failed.details()).containsEntry("status", "wrong_answer");
        assertThat(failed.details().get("error")).startsWith("AssertionError: 6 deepEqual 5");

        Problem humanEvalX = function("", "const testAdd = () => {\n  console.assert(add(2, 3) === 5)\n}\ntestAdd()", "add");
        assertThat(score(humanEvalX, "const add = (a, b) => a + b;").outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(score(humanEvalX, "const add = (a, b) => a - b;").details()).containsEntry("status", "wrong_answer");
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("host classes", "Java.type('java.lang.System').exit(1);", "runtime_error"),
                Arguments.of("load a file", "load('/etc/passwd');", "runtime_error"),
                Arguments.of("read a file", "console.log(require('fs').readFileSync('/etc/passwd', 'utf8'));", "runtime_error"),
                Arguments.of("polyglot eval", "Polyglot.eval('python', 'print(1)');", "runtime_error"),
                Arguments.of("quit", "quit();", "runtime_error"),
                Arguments.of("busy loop", "while (true) {}", "timeout"),
                Arguments.of("loop that swallows every exception", "for (;;) { try { for (;;) {} } catch (e) {} }", "timeout"),
                Arguments.of("promise loop", "const f = () => Promise.resolve().then(f); f(); for (;;) {}", "timeout"),
                Arguments.of("infinite output", "for (;;) console.log('x'.repeat(1000));", "output_limit"),
                Arguments.of("infinite raw output that swallows errors", "for (;;) { try { process.stdout.write('x'.repeat(1000)); } catch (e) {} }",
                        "output_limit"),
                Arguments.of("recursion bomb", "const f = n => f(n + 1) + 1; f(0);", "runtime_error"),
                Arguments.of("memory bomb", "const a = []; for (;;) a.push(new Array(1e6).fill(1));", "runtime_error|timeout"),
                Arguments.of("string bomb", "let s = 'x'; for (;;) s += s;", "runtime_error|timeout"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileProgramsAreContainedAndReported(String what, String code, String status) {
        Problem echo = CodeVerifierContract.stdio(List.of("5\n"), List.of("5\n"));
        RewardResult r = score(echo, code);
        assertThat(r.outcome()).as(r.details().toString()).isNotEqualTo(Outcome.CORRECT);
        assertThat(r.details().get("status")).as("%s: %s", what, r.details()).matches(status);
        RewardResult next = score(echo, "console.log(readline());");
        assertThat(next.outcome()).as("the next judgement still works after %s: %s", what, next.details()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void aProgramThatChangesTheBuiltInsDoesNotReachTheNextOne() {
        // one judge thread, so the next program gets the same context unless the poisoned one is dropped
        try (Verifier one = new CodeRewardFunction().create(Settings.of(Map.of("language", "javascript", "concurrency", 1,
                "programs_per_context", 100)))) {
            poisonThenJudge(one);
        }
    }

    private static void poisonThenJudge(Verifier verifier) {
        Problem echo = CodeVerifierContract.stdio(List.of("5\n"), List.of("5\n"));
        // each poison prints its own answer without what it broke; the next program uses what was broken
        for (String poison : List.of("Array.prototype.map = () => ['6'];",
                "globalThis.parseInt = () => 6;",
                "JSON.stringify = () => '6';",
                "Object.defineProperty(String.prototype, 'trim', { value() { return '6'; } });",
                "Object.freeze(Array.prototype);",
                "Array.prototype.every = () => true; Object.is = () => true; Array.prototype.map = () => ['6'];")) {
            poison += "\nprocess.stdout.write(readline() + '\\n');";
            assertThat(verifier.score(echo, js(poison)).outcome()).as(poison).isEqualTo(Outcome.CORRECT);
            RewardResult next = verifier.score(echo, js("console.log([readline().trim()].map(x => JSON.stringify(parseInt(x)))[0]);"
                    + "\n[].push(1);"));
            assertThat(next.outcome()).as("after %s: %s", poison, next.details()).isEqualTo(Outcome.CORRECT);
        }
    }
}
