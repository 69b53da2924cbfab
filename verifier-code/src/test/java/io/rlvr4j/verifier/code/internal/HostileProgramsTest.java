package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Programs that try to reach the host, hang, or exhaust it: each is contained, reported with a
 * status, ends within its limits, and leaves the host and the next judgement unchanged.
 */
class HostileProgramsTest {

    static Verifier verifier;
    static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "rlvr4j-hostile-marker");
    static final Problem ECHO = new Problem("echo", "code", "q", List.of(), null, Map.of("inputs", List.of("5\n"), "outputs", List.of("5\n")));

    @BeforeAll
    static void start() throws Exception {
        Files.deleteIfExists(MARKER);
        verifier = new CodeRewardFunction().create(Settings.of(Map.of("time_limit_ms", 500, "wall_limit_ms", 1000,
                "output_limit_bytes", 100_000)));
    }

    @AfterAll
    static void stop() {
        verifier.close();
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("read /etc/passwd", "print(open('/etc/passwd').read())", "runtime_error"),
                Arguments.of("write a file", "open('" + MARKER + "', 'w').write('x')\nprint(5)", "runtime_error"),
                Arguments.of("list a directory", "import os\nprint(os.listdir('/'))", "runtime_error"),
                Arguments.of("open a socket", "import socket\nsocket.create_connection(('127.0.0.1', 22))", "runtime_error|timeout"),
                Arguments.of("spawn a process", "import subprocess\nsubprocess.run(['touch', '" + MARKER + "'])", "runtime_error|timeout"),
                Arguments.of("os.system", "import os\nos.system('touch " + MARKER + "')\nprint(5)", "runtime_error"),
                Arguments.of("os.fork", "import os\nos.fork()\nprint(5)", "runtime_error"),
                Arguments.of("ctypes", "import ctypes\nctypes.CDLL(None).system(b'touch " + MARKER + "')", "runtime_error"),
                Arguments.of("host classes", "import java\njava.type('java.lang.System').exit(1)", "runtime_error"),
                Arguments.of("polyglot eval", "import polyglot\npolyglot.eval(language='js', string='1')", "runtime_error"),
                Arguments.of("threads", "import threading\nthreading.Thread(target=print).start()", "runtime_error"),
                Arguments.of("busy loop", "while True: pass", "timeout"),
                Arguments.of("sleep", "import time\ntime.sleep(100)", "timeout"),
                Arguments.of("loop that swallows every exception",
                        "while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass", "timeout"),
                Arguments.of("infinite output", "while True: print('x' * 1000)", "output_limit"),
                Arguments.of("recursion bomb", "def f(n): return f(n + 1)\nf(0)", "runtime_error|timeout"),
                Arguments.of("memory bomb", "x = [0] * (10 ** 10)\nprint(len(x))", "runtime_error"),
                Arguments.of("string bomb", "s = 'x' * (2 ** 40)\nprint(len(s))", "runtime_error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void isContainedAndReported(String what, String code, String status) {
        RewardResult r = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> verifier.score(ECHO, "```python\n" + code + "\n```"));
        assertThat(r.outcome()).as(r.details().toString()).isNotEqualTo(Outcome.CORRECT);
        // importing socket or subprocess, or unwinding a deep stack, can itself use up 500 ms of CPU
        assertThat(r.details().get("status")).as("%s: %s", what, r.details()).matches(status);
        assertThat(MARKER).as("the host's file system is unchanged").doesNotExist();
        RewardResult next = verifier.score(ECHO, "```python\nprint(input())\n```");
        assertThat(next.outcome()).as("the next judgement still works after %s: %s", what, next.details()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void theHostEnvironmentIsHidden() {
        RewardResult r = verifier.score(ECHO, "```python\nimport os\nprint(dict(os.environ))\n```");
        String home = System.getenv("HOME");
        assertThat(r.details().getOrDefault("got", "")).doesNotContain(home == null ? "/root" : home);
    }

    @Test
    void deepButBoundedRecursionWorks() {
        String code = "import sys\nsys.setrecursionlimit(20000)\ndef depth(n): return 0 if n == 0 else 1 + depth(n - 1)\n"
                + "input()\nprint(depth(5000) // 1000)";
        RewardResult r = verifier.score(ECHO, "```python\n" + code + "\n```");
        assertThat(r.outcome()).as(r.details().toString()).isEqualTo(Outcome.CORRECT);
    }
}
