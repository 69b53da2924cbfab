package io.rlvr4j.verifier.code.internal;

import java.time.Duration;

/** Where programs run: {@link PolyglotSandbox} in-process, or {@link SubprocessSandbox} as CPython processes. */
interface Sandbox extends AutoCloseable {

    /**
     * The limits of one test.
     *
     * @param cpu CPU time of one test
     * @param wall wall time of one test (sleeping counts here)
     * @param outputBytes the most a test may print
     * @param stackFrames the deepest guest call stack (GraalVM; the C stack of a subprocess follows it)
     * @param memoryBytes the address space of a program (subprocess)
     */
    record Limits(Duration cpu, Duration wall, int outputBytes, int stackFrames, long memoryBytes) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(4), 1 << 20, 200_000, 1L << 30);
    }

    /**
     * {@return the judgement of {@code program} against {@code suite}}; blocks until done, never throws
     * for anything the program does
     *
     * @param stopAtFirstFailure whether the tests after a failure may be skipped
     */
    Judgement judge(String program, TestSuite suite, OutputCheck matcher, boolean stopAtFirstFailure);

    @Override
    void close();
}
