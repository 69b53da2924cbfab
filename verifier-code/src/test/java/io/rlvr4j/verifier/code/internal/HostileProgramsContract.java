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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Programs that try to reach the host, hang, or exhaust it: each is contained, reported with a
 * status, ends within its limits, and leaves the host and the next judgement unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileProgramsContract {

    Verifier verifier;

    /** {@return the sandbox's settings} */
    abstract Map<String, Object> sandbox();

    /** {@return which status column of {@link #hostile()} this sandbox reports: 0 GraalPy, 1 subprocess} */
    abstract int column();
    static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "rlvr4j-hostile-marker");
    static final Problem ECHO = new Problem("echo", "code", "q", List.of(), null, Map.of("inputs", List.of("5\n"), "outputs", List.of("5\n")));

    @BeforeAll
    void start() throws Exception {
        Files.deleteIfExists(MARKER);
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("time_limit_ms", 1000, "wall_limit_ms", 2000,
                "output_limit_bytes", 100_000));
        settings.putAll(sandbox());
        verifier = new CodeRewardFunction().create(Settings.of(settings));
    }

    @AfterAll
    void stop() {
        verifier.close();
    }

    /**
     * What each sandbox reports: GraalPy refuses files, processes, sockets and threads outright; the
     * subprocess sandbox lets a program start processes and write its private /tmp inside its
     * namespaces, so there the attack fails to produce the expected output instead.
     */
    static Stream<Arguments> hostile() {
        String touch = "'touch', '" + MARKER + "'";
        return Stream.of(
                Arguments.of("read /etc/passwd", "print(open('/etc/passwd').read())", "runtime_error", "runtime_error"),
                Arguments.of("write the host's file system", "open('/usr/rlvr4j-hostile', 'w').write('x')\nprint(5)", "runtime_error",
                        "runtime_error"),
                Arguments.of("write the host's /tmp", "open('" + MARKER + "', 'w').write('x')", "runtime_error", "wrong_answer"),
                // the subprocess sandbox shows only the path down to a Python installed under the home (pyenv)
                Arguments.of("list the host's home", "import os\nprint(os.listdir('" + System.getProperty("user.home") + "'))",
                        "runtime_error", "runtime_error|wrong_answer"),
                Arguments.of("open a socket", "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)",
                        "runtime_error|timeout", "runtime_error"),
                Arguments.of("spawn a process", "import subprocess\nsubprocess.run([" + touch + "])", "runtime_error|timeout", "wrong_answer"),
                Arguments.of("os.system", "import os\nos.system('touch " + MARKER + "')", "runtime_error", "wrong_answer"),
                Arguments.of("fork bomb", "import os\nwhile True:\n    os.fork()", "runtime_error", "runtime_error|timeout"),
                Arguments.of("ctypes", "import ctypes\nctypes.CDLL(None).system(b'touch " + MARKER + "')", "runtime_error", "wrong_answer"),
                Arguments.of("host classes", "import java\njava.type('java.lang.System').exit(1)", "runtime_error", "runtime_error"),
                Arguments.of("polyglot eval", "import polyglot\npolyglot.eval(language='js', string='1')", "runtime_error", "runtime_error"),
                Arguments.of("threads", "import threading\nthreading.Thread(target=print).start()", "runtime_error", "wrong_answer"),
                Arguments.of("busy loop", "while True: pass", "timeout", "timeout"),
                Arguments.of("sleep", "import time\ntime.sleep(100)", "timeout", "timeout"),
                Arguments.of("loop that swallows every exception",
                        "while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass", "timeout", "timeout"),
                Arguments.of("infinite output", "while True: print('x' * 1000)", "output_limit", "output_limit"),
                Arguments.of("recursion bomb", "def f(n): return f(n + 1)\nf(0)", "runtime_error|timeout", "runtime_error"),
                Arguments.of("memory bomb", "x = [0] * (10 ** 10)\nprint(len(x))", "runtime_error", "runtime_error"),
                Arguments.of("string bomb", "s = 'x' * (2 ** 40)\nprint(len(s))", "runtime_error", "runtime_error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void isContainedAndReported(String what, String code, String graalPyStatus, String subprocessStatus) {
        String status = column() == 0 ? graalPyStatus : subprocessStatus;
        RewardResult r = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> verifier.score(ECHO, "```python\n" + code + "\n```"));
        assertThat(r.outcome()).as(r.details().toString()).isNotEqualTo(Outcome.CORRECT);
        // in GraalPy's interpreter, importing socket or subprocess, or unwinding a deep stack, can itself use up the CPU limit
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
