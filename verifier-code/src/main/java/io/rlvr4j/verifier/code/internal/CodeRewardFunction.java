package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@code code} reward function: the last fenced code block of a response, run against the
 * problem's tests in a sandbox (see {@link CodeVerifier}, {@link PolyglotSandbox}; docs/code-verifier.md).
 *
 * <p>Settings: {@code language} ({@code python}, or {@code javascript}); {@code sandbox} ({@code graalvm}:
 * in-process GraalPy or GraalJS, also called {@code graalpy}; or {@code subprocess}: CPython processes
 * isolated by bubblewrap and rlimits, Python only);
 * {@code scoring} ({@code all}: reward only when every test passes, or {@code fraction});
 * {@code correct_reward} (1), {@code wrong_reward} (0), {@code no_code_reward} (0);
 * {@code time_limit_ms} (2000, CPU time per test), {@code wall_limit_ms} (twice that),
 * {@code output_limit_bytes} (1 MiB per test), {@code max_stack_frames} (200000 for Python, 10000 for JavaScript: the deepest recursion,
 * with a judge thread's stack to match in graalvm, and the C stack of a subprocess, up to half its memory),
 * {@code prelude} ({@code none}, or {@code leetcode}: the imports, {@code ListNode}, {@code TreeNode} and
 * the helpers LeetCode-style tests use, before function and call-based tests' programs),
 * {@code float_tolerance} (0: exact tokens), {@code concurrency} (the cores: programs run at once),
 * {@code programs_per_context} (graalvm: programs that run one after another in a context, each
 * checked to leave it clean; 1: a fresh context for every program; default 100 for Python, 1 for JavaScript), {@code python} ({@code /usr/bin/python3} if present, else {@code python3},
 * subprocess: the CPython to run), {@code memory_limit_mb} (1024, subprocess: address space),
 * {@code domains} ([code]).
 */
public final class CodeRewardFunction implements RewardFunction {

    private enum SandboxKind {
        GRAALVM, GRAALPY, SUBPROCESS
    }

    @Override
    public String name() {
        return "code";
    }

    @Override
    public String description() {
        return "programs in a response's last code block (Python or JavaScript), run against stdin/stdout or HumanEval-style tests in a sandbox";
    }

    @Override
    public Verifier create(Settings settings) {
        Language language = settings.choice("language", Language.class, Language.PYTHON);
        SandboxKind kind = settings.choice("sandbox", SandboxKind.class, SandboxKind.GRAALVM);
        if (kind == SandboxKind.SUBPROCESS && language != Language.PYTHON) {
            throw settings.invalid("sandbox", "subprocess runs Python only; " + language.configName() + " runs in the graalvm sandbox");
        }
        String python = settings.string("python", java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3"))
                ? "/usr/bin/python3" : "python3");
        int memoryMb = settings.integer("memory_limit_mb", 1024);
        if (memoryMb < 64) throw settings.invalid("memory_limit_mb", "must be at least 64");
        CodeVerifier.Scoring scoring = settings.choice("scoring", CodeVerifier.Scoring.class, CodeVerifier.Scoring.ALL);
        double correct = settings.finiteNumber("correct_reward", 1);
        double wrong = settings.finiteNumber("wrong_reward", 0);
        double noCode = settings.finiteNumber("no_code_reward", 0);
        if (!(correct > wrong && correct > noCode)) {
            throw settings.invalid("correct_reward", "must be greater than wrong_reward (" + wrong + ") and no_code_reward (" + noCode + ")");
        }
        int cpu = settings.integer("time_limit_ms", 2000);
        if (cpu < 10 || cpu > 600_000) throw settings.invalid("time_limit_ms", "must be in [10, 600000]");
        int wall = settings.integer("wall_limit_ms", 2 * cpu);
        if (wall < cpu) throw settings.invalid("wall_limit_ms", "must be at least time_limit_ms (" + cpu + ")");
        int output = settings.integer("output_limit_bytes", 1 << 20);
        if (output < 1) throw settings.invalid("output_limit_bytes", "must be positive");
        // Python programs raise sys.setrecursionlimit and recurse 10^5 deep; Node's default stack holds about 11,000 frames
        int frames = settings.integer("max_stack_frames", language == Language.PYTHON ? 200_000 : 10_000);
        if (frames < 10 || frames > 10_000_000) throw settings.invalid("max_stack_frames", "must be in [10, 10000000]");
        String preludeName = settings.string("prelude", "none").strip().toLowerCase(java.util.Locale.ROOT);
        String prelude = switch (preludeName) {
            case "none", "" -> "";
            case "leetcode" -> {
                if (language != Language.PYTHON) throw settings.invalid("prelude", "leetcode is a Python prelude");
                yield Language.prelude("leetcode");
            }
            default -> throw settings.invalid("prelude", "unknown prelude '" + preludeName + "'; the preludes are none and leetcode");
        };
        double tolerance = settings.number("float_tolerance", 0);
        if (!(tolerance >= 0 && tolerance < 1)) throw settings.invalid("float_tolerance", "must be in [0, 1)");
        // a GraalJS context starts in milliseconds, sooner than a used one is checked for changes (bench
        // verifier-code: 258 against 214 programs/s); a GraalPy one with its modules imported takes a second
        int reuse = settings.integer("programs_per_context", language == Language.PYTHON ? 100 : 1);
        if (reuse < 1) throw settings.invalid("programs_per_context", "must be at least 1 (1: a fresh context for every program)");
        int concurrency = settings.integer("concurrency", Runtime.getRuntime().availableProcessors());
        if (concurrency < 1) throw settings.invalid("concurrency", "must be at least 1");
        List<String> domains = settings.strings("domains", List.of("code"));
        if (domains.isEmpty() || domains.stream().anyMatch(String::isBlank)) {
            throw settings.invalid("domains", "must list at least one non-blank domain, e.g. [code]");
        }
        Sandbox.Limits limits = new Sandbox.Limits(Duration.ofMillis(cpu), Duration.ofMillis(wall), output, frames, memoryMb * (1L << 20));
        Sandbox sandbox;
        try {
            sandbox = kind == SandboxKind.SUBPROCESS ? new SubprocessSandbox(concurrency, limits, python)
                    : new PolyglotSandbox(language, concurrency, limits, reuse);
        } catch (IllegalStateException e) {
            throw settings.invalid("sandbox", e.getMessage());
        }
        return new CodeVerifier(language, prelude, sandbox, new OutputMatcher(tolerance), scoring,
                new CodeVerifier.Rewards(correct, wrong, noCode), new LinkedHashSet<>(domains));
    }
}
