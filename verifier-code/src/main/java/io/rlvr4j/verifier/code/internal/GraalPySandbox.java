package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.verifier.code.internal.Judgement.Status;
import io.rlvr4j.verifier.code.internal.Judgement.TestOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Runs Python programs in GraalPy, in-process, under {@link SandboxPolicy#CONSTRAINED}: no files, no
 * network, no processes, no threads, no host classes, no environment. One {@link Engine} is shared
 * (its parsed sources and language state are reused); each program gets its own {@link Context}
 * and runs every test in it, each with a fresh namespace and stdin; the context is closed after.
 *
 * <p>Limits per test: CPU time ({@code sandbox.MaxCPUTime}, reset before each test), a wall-clock
 * watchdog that cancels the context (for {@code time.sleep} and the like), printed output, stack
 * frames. Programs run on a fixed pool of platform threads with a large stack, so deep but bounded
 * recursion works; the pool's size bounds how many programs share the heap at once. There is no
 * per-context heap limit in GraalVM: a memory bomb raises {@code MemoryError} in the guest, or, if
 * it wins the race, an {@link OutOfMemoryError} that fails its own judgement (residual risk:
 * concurrent judgements may see allocation failures meanwhile; see docs/code-verifier.md).
 */
final class GraalPySandbox implements AutoCloseable {

    /**
     * The limits of one test.
     *
     * @param cpu CPU time of one test
     * @param wall wall time of one test (sleeping counts here)
     * @param outputBytes the most a test may print
     * @param stackFrames the deepest guest call stack
     */
    record Limits(Duration cpu, Duration wall, int outputBytes, int stackFrames) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(4), 1 << 20, 10_000);
    }

    /** Guest-side helpers: compile once, then run per test with its own namespace and stdin. */
    private static final Source HARNESS = Source.create("python", """
            import io, sys
            def _compile(code):
                return compile(code, '<program>', 'exec')
            def _run_stdio(compiled, stdin):
                sys.stdin = io.StringIO(stdin)
                try:
                    exec(compiled, {'__name__': '__main__'})
                except SystemExit as e:
                    if e.code not in (None, 0):
                        raise
                finally:
                    sys.stdout.flush()
            def _run_check(compiled, entry_point):
                sys.stdin = io.StringIO('')
                namespace = {'__name__': '__rlvr4j__'}
                exec(compiled, namespace)
                namespace['check'](namespace[entry_point])
            (_compile, _run_stdio, _run_check)
            """);
    private static final long STACK_BYTES = 512L << 20;

    private final Engine engine;
    private final ExecutorService judges;
    private final ScheduledExecutorService watchdog;
    private final Limits limits;

    GraalPySandbox(int concurrency, Limits limits) {
        this.limits = limits;
        this.engine = Engine.newBuilder("python").sandbox(SandboxPolicy.CONSTRAINED)
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
        AtomicInteger n = new AtomicInteger();
        this.judges = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(null, r, "code-judge-" + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "code-judge-watchdog");
            t.setDaemon(true);
            return t;
        });
        warmUp();
    }

    /** The first context of an engine initialises GraalPy (seconds): do it before any limit applies. */
    private void warmUp() {
        try {
            judges.submit(() -> {
                try (Context c = newContext(InputStream.nullInputStream(), OutputStream.nullOutputStream(), false)) {
                    c.eval(HARNESS);
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("GraalPy does not start: " + e.getCause(), e.getCause());
        }
    }

    private Context newContext(InputStream in, OutputStream out, boolean limited) {
        Context.Builder b = Context.newBuilder("python").engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                .in(in).out(out).err(OutputStream.nullOutputStream());
        if (limited) {
            b.option("sandbox.MaxCPUTime", limits.cpu().toMillis() + "ms")
                    .option("sandbox.MaxCPUTimeCheckInterval", "10ms")
                    .option("sandbox.MaxStackFrames", Integer.toString(limits.stackFrames()))
                    .option("sandbox.MaxErrorStreamSize", "64KB");
        }
        return b.build();
    }

    /**
     * {@return the judgement of {@code program} against {@code suite}}; blocks until done
     *
     * @param stopAtFirstFailure whether the tests after a failure may be skipped
     */
    Judgement judge(String program, TestSuite suite, OutputMatcher matcher, boolean stopAtFirstFailure) {
        long t0 = System.nanoTime();
        Future<List<TestOutcome>> f = judges.submit(() -> runAll(program, suite, matcher, stopAtFirstFailure));
        List<TestOutcome> outcomes;
        try {
            // every test is bounded by the watchdog; this is the last resort if a context ignores cancellation
            long budget = (limits.wall().toMillis() + 1_000) * suite.size() + 10_000;
            outcomes = f.get(budget, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            outcomes = List.of(TestOutcome.failed(Status.TIMEOUT, "the judgement did not end"));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            outcomes = List.of(TestOutcome.failed(Status.SANDBOX_ERROR, "interrupted"));
        } catch (ExecutionException e) {
            outcomes = List.of(TestOutcome.failed(Status.SANDBOX_ERROR, String.valueOf(e.getCause())));
        }
        return new Judgement(outcomes, suite.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private List<TestOutcome> runAll(String program, TestSuite suite, OutputMatcher matcher, boolean stopAtFirstFailure) {
        List<TestOutcome> outcomes = new ArrayList<>();
        String source = suite instanceof TestSuite.Function fn ? functionProgram(program, fn) : program;
        CappedOutput out = new CappedOutput(limits.outputBytes());
        while (outcomes.size() < suite.size()) {
            // a time-out cancels its context: the remaining tests get a fresh one
            try (Context c = newContext(InputStream.nullInputStream(), out, true)) {
                Value helpers = c.eval(HARNESS);
                Value compiled;
                try {
                    compiled = helpers.getArrayElement(0).execute(source);
                } catch (PolyglotException e) {
                    outcomes.add(TestOutcome.failed(Status.COMPILE_ERROR, guestError(e)));
                    return outcomes;
                }
                while (outcomes.size() < suite.size()) {
                    out.reset();
                    c.resetLimits();
                    TestOutcome o = runOne(c, helpers, compiled, suite, outcomes.size(), out, matcher);
                    outcomes.add(o);
                    if (o.status() != Status.PASSED && stopAtFirstFailure) return outcomes;
                    if (o.status() == Status.TIMEOUT) break;
                }
            } catch (PolyglotException | IllegalStateException cancelled) {
                // closing a context that a limit or the watchdog cancelled
            }
        }
        return outcomes;
    }

    /** HumanEval style: the prompt (signature and docstring) first, unless the code defines the entry point itself. */
    static String functionProgram(String code, TestSuite.Function fn) {
        java.util.regex.Pattern def = java.util.regex.Pattern.compile("\\s*def\\s+" + fn.entryPoint() + "\\s*\\(.*");
        boolean defines = code.lines().anyMatch(l -> def.matcher(l).matches());
        String head = defines || fn.prompt().isBlank() ? "" : fn.prompt() + (fn.prompt().endsWith("\n") ? "" : "\n");
        return head + code + "\n\n" + fn.test() + "\n";
    }

    private TestOutcome runOne(Context c, Value helpers, Value compiled, TestSuite suite, int i, CappedOutput out, OutputMatcher matcher) {
        ScheduledFuture<?> dog = watchdog.schedule(() -> c.close(true), limits.wall().toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (suite instanceof TestSuite.Stdio s) {
                helpers.getArrayElement(1).execute(compiled, s.inputs().get(i));
                if (out.exceeded()) return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
                String actual = out.text();
                String expected = s.outputs().get(i);
                return matcher.matches(expected, actual) ? TestOutcome.passed()
                        : new TestOutcome(Status.WRONG_ANSWER, shorten(expected), shorten(actual), null);
            }
            TestSuite.Function fn = (TestSuite.Function) suite;
            helpers.getArrayElement(2).execute(compiled, fn.entryPoint());
            return TestOutcome.passed();
        } catch (PolyglotException e) {
            if (e.isResourceExhausted()) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("CPU time")) return TestOutcome.failed(Status.TIMEOUT, "CPU time over " + limits.cpu().toMillis() + " ms");
                if (out.exceeded() || m.contains("output")) {
                    return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
                }
                return TestOutcome.failed(Status.RUNTIME_ERROR, "resource exhausted: " + m);
            }
            if (e.isCancelled() || e.isInterrupted()) {
                return TestOutcome.failed(Status.TIMEOUT, "wall time over " + limits.wall().toMillis() + " ms");
            }
            if (out.exceeded()) return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
            String error = guestError(e);
            if (suite instanceof TestSuite.Function && error.startsWith("AssertionError")) {
                return TestOutcome.failed(Status.WRONG_ANSWER, error);
            }
            return TestOutcome.failed(Status.RUNTIME_ERROR, error);
        } catch (IllegalStateException closed) { // the watchdog closed the context between two calls
            return TestOutcome.failed(Status.TIMEOUT, "wall time over " + limits.wall().toMillis() + " ms");
        } catch (RuntimeException e) { // GraalPy failing inside on what the program asked (e.g. a 10^10-element list)
            return TestOutcome.failed(Status.RUNTIME_ERROR, shorten("failed inside the interpreter: " + e));
        } catch (OutOfMemoryError e) { // the allocation failed and is released with the program's objects
            return TestOutcome.failed(Status.RUNTIME_ERROR, "MemoryError: out of heap");
        } finally {
            dog.cancel(false);
        }
    }

    /** {@return the guest's exception as "Type: message"} */
    private static String guestError(PolyglotException e) {
        String m = e.getMessage();
        if (e.isGuestException() && e.getGuestObject() != null && !e.getGuestObject().isNull()) {
            Value type = e.getGuestObject().getMetaObject();
            String name = type == null ? "Error" : type.getMetaSimpleName();
            return shorten(m != null && m.startsWith(name) ? m : name + ": " + m);
        }
        return shorten(String.valueOf(m));
    }

    static String shorten(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " chars)";
    }

    @Override
    public void close() {
        judges.shutdownNow();
        watchdog.shutdownNow();
        engine.close(true);
    }

    /** A program's stdout: kept per test up to a cap; beyond it, writes fail and the test is marked. */
    static final class CappedOutput extends OutputStream {
        private final int cap;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile boolean exceeded;

        CappedOutput(int cap) {
            this.cap = cap;
        }

        synchronized void reset() {
            buffer.reset();
            exceeded = false;
        }

        boolean exceeded() {
            return exceeded;
        }

        synchronized String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (buffer.size() + len > cap) {
                exceeded = true;
                throw new IOException("output limit of " + cap + " bytes exceeded");
            }
            buffer.write(b, off, len);
        }
    }
}
