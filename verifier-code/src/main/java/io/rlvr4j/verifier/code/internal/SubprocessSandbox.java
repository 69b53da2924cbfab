package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.verifier.code.internal.Judgement.Status;
import io.rlvr4j.verifier.code.internal.Judgement.TestOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python programs with CPython, one process per test, isolated by the operating system:
 * bubblewrap gives each a new user, PID, network, IPC and mount namespace with no network, an empty
 * {@code /tmp}, and read-only views of only {@code /usr}, {@code /lib*} and the interpreter's prefix
 * (no {@code /etc}, no home, no working directory), a cleared environment, and {@code prlimit} caps
 * CPU seconds, address space, processes, open files and file size. Output is read through pipes,
 * capped; a watchdog kills a test over its wall time (the PID namespace dies with it). Run as root,
 * the programs run as the user {@code nobody}, since the kernel does not apply the process limit to
 * root (a fork bomb would fill the host's process table).
 *
 * <p>Function tests append {@code judge_support.py}, {@code check(_rlvr4j_guard(entry_point))} (each
 * result vetted before check compares it) and a random marker line to the program; call-based tests
 * read their test from stdin first and append the call. A test passes when the process exits normally
 * and its last line is that marker, so {@code os._exit(0)} before the checks does not pass. (A program that reads the marker out of its own code object could
 * still forge it; documented in docs/code-verifier.md.) Needs {@code bwrap} (Debian: bubblewrap, see
 * {@code scripts/install-sandbox.sh}) and {@code prlimit} (util-linux).
 */
final class SubprocessSandbox implements Sandbox {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUPPORT = Language.support();
    /** The pipes of every process are pumped by virtual threads: blocking reads must not starve a small pool. */
    private static final java.util.concurrent.ExecutorService PIPES = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final Limits limits;
    private final Path python;
    private final Path prefix;
    private final Path bwrap;
    private final Semaphore slots;
    private final Path workDir;
    /** subprocess_main.py with the recursion cap: what the interpreter runs, which runs the program */
    private final Path runner;
    /**
     * The process limit: RLIMIT_NPROC counts every task of the user and does not apply to root. As root,
     * programs run as {@code nobody} ({@link #AS_NOBODY}) with 64 processes; otherwise the user's tasks
     * now (the JVM's threads included) plus 64.
     */
    private final long processes;
    private final boolean root;
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    SubprocessSandbox(int concurrency, Limits limits, String pythonCommand) {
        this.limits = limits;
        this.slots = new Semaphore(concurrency);
        this.bwrap = onPath("bwrap").orElseThrow(() -> new IllegalStateException(
                "the subprocess sandbox needs bubblewrap (bwrap): run scripts/install-sandbox.sh, or apt-get install bubblewrap"));
        onPath("prlimit").orElseThrow(() -> new IllegalStateException("the subprocess sandbox needs prlimit (util-linux)"));
        this.root = "0".equals(run(List.of("id", "-u")).stream().findFirst().orElse(""));
        this.processes = root ? 64 : userTasks() + 64;
        List<String> probe = new ArrayList<>(root ? AS_NOBODY : List.of());
        probe.addAll(List.of(pythonCommand, "-I", "-S", "-c", "import sys; print(sys.executable); print(sys.base_prefix)"));
        List<String> where = run(probe);
        if (where.size() < 2 || !where.get(0).startsWith("/")) {
            throw new IllegalStateException("cannot run " + pythonCommand + (root ? " as the user nobody (an interpreter under /root is "
                    + "not readable to it: set python to a system one, e.g. /usr/bin/python3)" : "") + ": " + String.join(" ", where));
        }
        this.python = Path.of(where.get(0));
        this.prefix = Path.of(where.get(1));
        try {
            // readable by nobody, who runs the programs when this JVM runs as root
            this.workDir = Files.createTempDirectory("rlvr4j-programs",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            this.runner = workDir.resolve("run.py");
            Files.writeString(runner, Language.resource("subprocess_main.py") + "\n_rlvr4j_main(" + limits.stackFrames() + ")\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the tasks (threads) of this user now}, from /proc */
    private static long userTasks() {
        String uid = run(List.of("id", "-u")).stream().findFirst().orElse("");
        long tasks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs.filter(x -> x.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    List<String> status = Files.readAllLines(d.resolve("status"));
                    boolean mine = status.stream().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals(uid));
                    if (mine) {
                        tasks += status.stream().filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.split("\\s+")[1]))
                                .sum();
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 1024;
        }
        return tasks;
    }

    private static java.util.Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }

    private static List<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return out.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Judgement judge(String program, TestSuite suite, OutputCheck matcher, boolean stopAtFirstFailure) {
        long t0 = System.nanoTime();
        List<TestOutcome> outcomes = new ArrayList<>();
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String marker = HexFormat.of().formatHex(nonce);
        Path file;
        try {
            file = Files.createTempFile(workDir, "main", ".py",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
            String source = switch (suite) {
                // the results vetted by judge_support.py before check compares them
                case TestSuite.Function fn -> fn.source(Language.PYTHON, program) + "\n" + SUPPORT + "\ncheck(_rlvr4j_guard("
                        + fn.entryPoint() + "))\nprint('" + marker + "')\n";
                // the test (arguments, a newline, the expected result) is read from stdin before the program runs
                case TestSuite.Call call -> "import sys as _rlvr4j_s\n_rlvr4j_args, _, _rlvr4j_expected = _rlvr4j_s.stdin.read()"
                        + ".partition('\\n')\n" + call.source(program) + "\n" + SUPPORT + "\n_rlvr4j_call(globals(), '" + call.fnName()
                        + "', _rlvr4j_args, _rlvr4j_expected)\nprint('" + marker + "')\n";
                case TestSuite.Stdio stdio -> program;
            };
            Files.writeString(file, source);
        } catch (IOException e) {
            return new Judgement(List.of(TestOutcome.failed(Status.SANDBOX_ERROR, "cannot write the program: " + e.getMessage())),
                    suite.size(), 0);
        }
        try {
            slots.acquireUninterruptibly();
            for (int i = 0; i < suite.size(); i++) {
                TestOutcome o = runOne(file, suite, i, matcher, marker);
                outcomes.add(o);
                if (o.status() != Status.PASSED && (stopAtFirstFailure || o.status() == Status.COMPILE_ERROR)) break;
            }
        } finally {
            slots.release();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left in the work directory
            }
        }
        return new Judgement(outcomes, suite.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private List<String> command(Path file) {
        long cpuSeconds = Math.max(1, (limits.cpu().toMillis() + 999) / 1000);
        List<String> c = new ArrayList<>(root ? AS_NOBODY : List.of());
        // CPython recurses in Python without the C stack; through builtins (lru_cache, repr) it needs this one
        long stack = Math.min(limits.memoryBytes() / 2, Math.max(8L << 20, limits.stackFrames() * 4096L));
        c.addAll(List.of("prlimit", "--cpu=" + cpuSeconds, "--as=" + limits.memoryBytes(), "--stack=" + stack, "--nproc=" + processes,
                "--fsize=0", "--nofile=64", "--core=0", "--",
                bwrap.toString(), "--unshare-all", "--as-pid-1", "--die-with-parent", "--new-session", "--clearenv",
                "--ro-bind", "/usr", "/usr", "--ro-bind", prefix.toString(), prefix.toString()));
        for (String lib : List.of("/lib", "/lib64", "/lib32")) {
            if (Files.exists(Path.of(lib))) c.addAll(List.of("--ro-bind", lib, lib));
        }
        c.addAll(List.of("--ro-bind", file.toString(), "/sandbox/main.py", "--ro-bind", runner.toString(), "/sandbox/run.py",
                "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev",
                "--chdir", "/tmp", python.toString(), "-I", "-S", "-B", "/sandbox/run.py")); // -S: no site (a 3x faster start)
        return c;
    }

    private TestOutcome runOne(Path file, TestSuite suite, int i, OutputCheck matcher, String marker) {
        String input = switch (suite) {
            case TestSuite.Stdio s -> s.inputs().get(i);
            case TestSuite.Call call -> call.arguments().get(i) + "\n" + call.expected().get(i);
            case TestSuite.Function fn -> "";
        };
        Process p;
        try {
            p = new ProcessBuilder(command(file)).start();
        } catch (IOException e) {
            return TestOutcome.failed(Status.SANDBOX_ERROR, "cannot start the sandbox: " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readCapped(p.getInputStream(), limits.outputBytes(), p), PIPES);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readCapped(p.getErrorStream(), 64 << 10, null), PIPES);
        CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // the program exited without reading all of its input
            }
        }, PIPES);
        boolean finished;
        try {
            finished = p.waitFor(limits.wall().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return TestOutcome.failed(Status.TIMEOUT, "wall time over " + limits.wall().toMillis() + " ms");
        }
        byte[] stdout = out.join();
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        if (stdout.length > limits.outputBytes()) {
            return TestOutcome.failed(Status.OUTPUT_LIMIT, "printed more than " + limits.outputBytes() + " bytes");
        }
        int code = p.exitValue();
        // SIGXCPU (the soft CPU limit) or SIGKILL (the hard one): the shell convention 128 + signal
        if (code == 128 + 24 || code == 128 + 9 || stderr.contains("CPU time limit exceeded")) {
            return TestOutcome.failed(Status.TIMEOUT, "CPU time over " + limits.cpu().toMillis() + " ms");
        }
        String text = new String(stdout, StandardCharsets.UTF_8);
        if (code != 0) {
            String error = lastErrorLine(stderr, code);
            if (error.startsWith("SyntaxError") || error.startsWith("IndentationError") || error.startsWith("TabError")) {
                return TestOutcome.failed(Status.COMPILE_ERROR, error);
            }
            boolean assertion = !(suite instanceof TestSuite.Stdio) && error.startsWith("AssertionError");
            return TestOutcome.failed(assertion ? Status.WRONG_ANSWER : Status.RUNTIME_ERROR, error);
        }
        if (suite instanceof TestSuite.Stdio s) {
            String expected = s.outputs().get(i);
            return matcher.accepts(i, expected, text) ? TestOutcome.passed()
                    : new TestOutcome(Status.WRONG_ANSWER, Judgement.shorten(expected), Judgement.shorten(text), null);
        }
        List<String> lines = text.lines().toList();
        return !lines.isEmpty() && lines.getLast().equals(marker) ? TestOutcome.passed()
                : TestOutcome.failed(Status.WRONG_ANSWER, "the program ended before the checks finished");
    }

    /** {@return "Type: message" from a Python traceback}, or the exit status */
    private static String lastErrorLine(String stderr, int code) {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        for (int k = lines.size() - 1; k >= 0; k--) {
            String l = lines.get(k);
            if (!l.startsWith(" ") && l.matches("[A-Za-z_][\\w.]*(Error|Exception|Exit|Interrupt)(:.*)?")) return Judgement.shorten(l);
        }
        return lines.isEmpty() ? "exit status " + code : Judgement.shorten(lines.getLast());
    }

    /**
     * Reads a stream to its end, keeping at most {@code cap + 1} bytes (one more tells that the cap was
     * passed); past the cap, {@code killer} (if given) is killed rather than read on.
     */
    private static byte[] readCapped(InputStream in, int cap, Process killer) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = cap + 1 - kept.size();
                if (room > 0) kept.write(buf, 0, Math.min(room, n));
                if (kept.size() > cap && killer != null) {
                    killer.destroyForcibly();
                    break;
                }
            }
        } catch (IOException closed) {
            // the process was killed
        }
        return kept.toByteArray();
    }

    @Override
    public void close() {
        try (var files = Files.list(workDir)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(workDir);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
