package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.verifier.code.internal.Judgement.Status;
import io.rlvr4j.verifier.code.internal.Judgement.TestOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Runs programs in-process in GraalVM Polyglot (Python in GraalPy, JavaScript in GraalJS) under
 * {@link SandboxPolicy#CONSTRAINED}: no files, no network, no processes, no threads, no host classes,
 * no environment. One {@link Engine} is shared (its parsed sources and language state are reused); a
 * program runs all its tests in one {@link Context}, each with a fresh namespace and stdin, and each
 * judge thread keeps its context for the next program while programs leave its shared state as they
 * found it ({@code clean} in the language's harness, {@code harness.py} or {@code harness.js};
 * {@code programsPerContext}).
 *
 * <p>Limits per test: CPU time (the judge thread's, as the JVM measures it) and wall time, both
 * enforced by a watchdog that cancels the context (so {@code time.sleep} ends too), printed output,
 * stack frames. Programs run on a fixed pool of platform threads with a large stack, so deep but bounded
 * recursion works; the pool's size bounds how many programs share the heap at once. There is no
 * per-context heap limit in GraalVM: a memory bomb raises {@code MemoryError} in the guest, or, if
 * it wins the race, an {@link OutOfMemoryError} that fails its own judgement (residual risk:
 * concurrent judgements may see allocation failures meanwhile; see docs/code-verifier.md).
 */
final class PolyglotSandbox implements Sandbox {

    /**
     * Java stack per guest frame: GraalPy's interpreter takes 1.3 to 2.6 KB per Python call (512 MB
     * held 200,000 frames of {@code f(n-1)} but not 400,000), more through builtins such as lru_cache.
     */
    private static final long STACK_BYTES_PER_FRAME = 4096;
    private static final long MIN_STACK_BYTES = 64L << 20;

    /** A warm context of a judge thread, with its helpers and its stdout. */
    private static final class Warm {
        final Context context;
        final Value helpers;
        final CappedOutput out;
        int programs;

        Warm(Context context, Value helpers, CappedOutput out) {
            this.context = context;
            this.helpers = helpers;
            this.out = out;
        }
    }

    private static final String SUPPORT = Language.support();

    private final Language language;
    private final Source harness;
    private final Engine engine;
    private final ExecutorService judges;
    private final ScheduledExecutorService watchdog;
    private final Limits limits;
    private final int programsPerContext;
    /** Each judge thread keeps its own context between programs: a context is never used by two threads. */
    private final ThreadLocal<Warm> warm = new ThreadLocal<>();
    private final java.util.Set<Watch> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * @param programsPerContext how many programs may run, one after another, in one context when each
     *     leaves it clean; 1 gives every program a fresh context
     */
    PolyglotSandbox(Language language, int concurrency, Limits limits, int programsPerContext) {
        this.language = language;
        this.harness = Source.create(language.polyglotId(), language.harness());
        this.limits = limits;
        this.programsPerContext = programsPerContext;
        this.engine = Engine.newBuilder(language.polyglotId()).sandbox(SandboxPolicy.CONSTRAINED)
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
        AtomicInteger n = new AtomicInteger();
        // reserved address space, touched only as deep as a program recurses
        long stackBytes = Math.max(MIN_STACK_BYTES, limits.stackFrames() * STACK_BYTES_PER_FRAME);
        this.judges = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(null, r, "code-judge-" + n.incrementAndGet(), stackBytes);
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "code-judge-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::patrol, 10, 10, TimeUnit.MILLISECONDS);
        warmUp();
    }

    /** The first context of an engine initialises the language (seconds for GraalPy): do it before any limit applies. */
    private void warmUp() {
        try {
            judges.submit(() -> {
                try (Context c = newContext(OutputStream.nullOutputStream(), false)) {
                    c.eval(harness).execute(programsPerContext > 1, writer(new CappedOutput(1)), SUPPORT);
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(language.configName() + " does not start in GraalVM Polyglot: " + e.getCause(), e.getCause());
        }
    }

    private Context newContext(OutputStream out, boolean limited) {
        Context.Builder b = Context.newBuilder(language.polyglotId()).engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                .in(InputStream.nullInputStream()).out(out).err(OutputStream.nullOutputStream());
        if (limited) {
            b.option("sandbox.MaxStackFrames", Integer.toString(limits.stackFrames())).option("sandbox.MaxErrorStreamSize", "64KB");
        }
        return b.build();
    }

    /**
     * {@return the judgement of {@code program} against {@code suite}}; blocks until done
     *
     * @param stopAtFirstFailure whether the tests after a failure may be skipped
     */
    @Override
    public Judgement judge(String program, TestSuite suite, OutputCheck matcher, boolean stopAtFirstFailure) {
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

    private List<TestOutcome> runAll(String program, TestSuite suite, OutputCheck matcher, boolean stopAtFirstFailure) {
        List<TestOutcome> outcomes = new ArrayList<>();
        String source = switch (suite) {
            case TestSuite.Function fn -> fn.source(language, program);
            case TestSuite.Call call -> call.source(program);
            case TestSuite.Stdio stdio -> program;
        };
        while (outcomes.size() < suite.size()) {
            Warm w = acquire();
            boolean reusable = false;
            try {
                Value compiled;
                try {
                    w.context.resetLimits();
                    compiled = w.helpers.getArrayElement(0).execute(source);
                } catch (PolyglotException e) {
                    outcomes.add(TestOutcome.failed(Status.COMPILE_ERROR, guestError(e)));
                    reusable = !(e.isCancelled() || e.isResourceExhausted());
                    return outcomes;
                }
                boolean spoiled = false;
                while (outcomes.size() < suite.size()) {
                    w.out.reset();
                    w.context.resetLimits();
                    TestOutcome o = runOne(w.context, w.helpers, compiled, suite, outcomes.size(), w.out, matcher);
                    outcomes.add(o);
                    // a time-out cancels its context, and output over the cap may wait in the guest's stdout buffer:
                    // the remaining tests get a fresh context
                    if (o.status() == Status.TIMEOUT || o.status() == Status.OUTPUT_LIMIT) {
                        spoiled = true;
                        break;
                    }
                    if (o.status() != Status.PASSED && stopAtFirstFailure) break;
                }
                reusable = !spoiled && leftClean(w);
                if (!spoiled) return outcomes;
            } finally {
                release(w, reusable);
            }
        }
        return outcomes;
    }

    /** {@return this thread's warm context, or a new one} */
    private Warm acquire() {
        Warm w = warm.get();
        if (w != null) {
            warm.remove();
            return w;
        }
        CappedOutput out = new CappedOutput(limits.outputBytes());
        Context c = newContext(out, true);
        try {
            return new Warm(c, c.eval(harness).execute(programsPerContext > 1, writer(out), SUPPORT), out);
        } catch (RuntimeException e) {
            c.close(true);
            throw e;
        }
    }

    /** Keeps a context for this thread's next program if it may be reused, else closes it. */
    private void release(Warm w, boolean reusable) {
        w.programs++;
        if (reusable && w.programs < programsPerContext) {
            warm.set(w);
            return;
        }
        try {
            w.context.close(true);
        } catch (RuntimeException alreadyCancelled) {
            // a context cancelled by a limit or the watchdog is closed already
        }
    }

    /** {@return whether the program left the context's modules, sys.path and recursion limit as it found them} */
    private boolean leftClean(Warm w) {
        if (programsPerContext <= 1) return false;
        try {
            w.context.resetLimits();
            return w.helpers.getArrayElement(3).execute().asBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private TestOutcome runOne(Context c, Value helpers, Value compiled, TestSuite suite, int i, CappedOutput out, OutputCheck matcher) {
        Watch watch = new Watch(c, Thread.currentThread().threadId(), System.nanoTime());
        running.add(watch);
        try {
            Value error;
            error = switch (suite) {
                case TestSuite.Stdio s -> helpers.getArrayElement(1).execute(compiled, s.inputs().get(i));
                case TestSuite.Function f -> helpers.getArrayElement(2).execute(compiled, f.entryPoint());
                case TestSuite.Call call -> helpers.getArrayElement(4).execute(compiled, call.fnName(), call.arguments().get(i),
                        call.expected().get(i));
            };
            if (out.exceeded()) return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
            if (!error.isNull()) {
                String e = error.asString();
                if (e.startsWith("RecursionError") || e.startsWith("MemoryError")) return TestOutcome.failed(Status.RUNTIME_ERROR, e);
                boolean assertion = !(suite instanceof TestSuite.Stdio) && e.startsWith("AssertionError");
                return TestOutcome.failed(assertion ? Status.WRONG_ANSWER : Status.RUNTIME_ERROR, e);
            }
            if (suite instanceof TestSuite.Stdio s) {
                String actual = out.text();
                String expected = s.outputs().get(i);
                return matcher.accepts(i, expected, actual) ? TestOutcome.passed()
                        : new TestOutcome(Status.WRONG_ANSWER, Judgement.shorten(expected), Judgement.shorten(actual), null);
            }
            return TestOutcome.passed();
        } catch (PolyglotException e) {
            // output over the cap counts first: a program that swallows the write error then runs out of time
            if (out.exceeded()) return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
            if (watch.reason != null) return TestOutcome.failed(Status.TIMEOUT, watch.reason);
            if (e.isResourceExhausted()) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("output")) {
                    return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
                }
                return TestOutcome.failed(Status.RUNTIME_ERROR, "resource exhausted: " + m);
            }
            if (e.isCancelled() || e.isInterrupted()) return TestOutcome.failed(Status.TIMEOUT, "cancelled");
            return TestOutcome.failed(Status.RUNTIME_ERROR, guestError(e));
        } catch (IllegalStateException closed) { // the watchdog closed the context between two calls
            return TestOutcome.failed(Status.TIMEOUT, watch.reason == null ? "cancelled" : watch.reason);
        } catch (RuntimeException e) { // the interpreter failing inside on what the program asked (e.g. a 10^10-element list)
            return TestOutcome.failed(Status.RUNTIME_ERROR, Judgement.shorten("failed inside the interpreter: " + e));
        } catch (OutOfMemoryError e) { // the allocation failed and is released with the program's objects
            return TestOutcome.failed(Status.RUNTIME_ERROR, "MemoryError: out of heap");
        } finally {
            running.remove(watch);
        }
    }

    /** A test being run: its context, the judge thread, and why the watchdog stopped it (if it did). */
    private static final class Watch {
        final Context context;
        final long thread;
        final long startNanos;
        final long startCpu;
        volatile String reason;

        Watch(Context context, long thread, long startNanos) {
            this.context = context;
            this.thread = thread;
            this.startNanos = startNanos;
            this.startCpu = CPU.getThreadCpuTime(thread);
        }
    }

    /**
     * Every 10 ms: a test over its CPU time (the judge thread's, as the JVM measures it) or its wall time
     * is stopped by cancelling its context. Truffle's own {@code sandbox.MaxCPUTime} would also count the
     * context's set-up (importing modules for reuse), which must not eat into a test's time.
     */
    private void patrol() {
        long now = System.nanoTime();
        for (Watch w : running) {
            if (w.reason != null) continue;
            long cpu = CPU.getThreadCpuTime(w.thread) - w.startCpu;
            if (cpu > limits.cpu().toNanos()) w.reason = "CPU time over " + limits.cpu().toMillis() + " ms";
            else if (now - w.startNanos > limits.wall().toNanos()) w.reason = "wall time over " + limits.wall().toMillis() + " ms";
            else continue;
            try {
                w.context.close(true);
            } catch (RuntimeException alreadyClosed) {
                // closed meanwhile
            }
        }
    }

    /**
     * {@return the host's raw writer to a test's stdout, for the guest harness}: JavaScript's
     * {@code process.stdout.write} has no newline, which {@code print} would add
     */
    private static ProxyExecutable writer(CappedOutput out) {
        return args -> {
            byte[] bytes = args[0].asString().getBytes(StandardCharsets.UTF_8);
            try {
                out.write(bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage()); // the guest sees an error; the test is marked by out.exceeded()
            }
            return null;
        };
    }

    /** {@return the guest's exception as "Type: message"} */
    private static String guestError(PolyglotException e) {
        String m = e.getMessage();
        if (e.isGuestException() && e.getGuestObject() != null && !e.getGuestObject().isNull()) {
            Value type = e.getGuestObject().getMetaObject();
            String name = type == null ? "Error" : type.getMetaSimpleName();
            return Judgement.shorten(m != null && m.startsWith(name) ? m : name + ": " + m);
        }
        return Judgement.shorten(String.valueOf(m));
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
