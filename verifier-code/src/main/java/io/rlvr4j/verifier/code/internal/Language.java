package io.rlvr4j.verifier.code.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The languages a program may be written in: the names that select them, the guest harness that runs
 * them in {@link PolyglotSandbox}, and how a HumanEval-style program is assembled from prompt, code and test.
 */
enum Language {
    PYTHON("python", Set.of("python", "py", "python3"), "harness.py") {
        /** A name, or a chain of attributes and calls on one: {@code check}, {@code Solution().twoSum}, {@code mod.f}. */
        private static final Pattern ENTRY = Pattern.compile("[A-Za-z_]\\w*(?:\\(\\))?(?:\\.[A-Za-z_]\\w*(?:\\(\\))?)*");

        @Override
        boolean defines(String code, String entryPoint) {
            String name = Pattern.quote(entryPoint.split("[.(]", 2)[0]);
            return Pattern.compile("(?m)^\\s*(?:(?:async\\s+)?def\\s+" + name + "\\s*\\(|class\\s+" + name + "\\b)").matcher(code).find();
        }

        @Override
        boolean acceptsEntryPoint(String entryPoint) {
            return ENTRY.matcher(entryPoint).matches();
        }

        @Override
        String entryPointForm() {
            return "a function name or an expression such as Solution().method";
        }

        @Override
        String functionProgram(String head, String code, String test, String entryPoint) {
            return head + code + "\n\n" + test + "\n";
        }
    },
    JAVASCRIPT("js", Set.of("javascript", "js", "node", "nodejs"), "harness.js") {
        @Override
        boolean acceptsEntryPoint(String entryPoint) {
            return entryPoint.matches("[A-Za-z_$][\\w$]*");
        }

        @Override
        String entryPointForm() {
            return "a function name";
        }

        @Override
        boolean defines(String code, String function) {
            return Pattern.compile("(?m)^\\s*(?:(?:async\\s+)?function\\s*\\*?\\s*" + function + "\\s*\\(|(?:const|let|var)\\s+" + function + "\\s*=)")
                    .matcher(code).find();
        }

        /** The harness compiles a program into a function body: its last line hands {@code check} and the candidate back. */
        @Override
        String functionProgram(String head, String code, String test, String entryPoint) {
            return head + code + "\n\n" + test + "\n;return [typeof check === 'function' ? check : undefined, typeof "
                    + entryPoint + " === 'undefined' ? undefined : " + entryPoint + "];\n";
        }
    };

    private final String polyglotId;
    private final Set<String> fenceNames;
    private final String harnessResource;

    Language(String polyglotId, Set<String> fenceNames, String harnessResource) {
        this.polyglotId = polyglotId;
        this.fenceNames = fenceNames;
        this.harnessResource = harnessResource;
    }

    /** {@return the GraalVM Polyglot language id} */
    String polyglotId() {
        return polyglotId;
    }

    /** {@return the info strings of a Markdown code fence that mean this language} */
    Set<String> fenceNames() {
        return fenceNames;
    }

    /** {@return the name of the language in configuration} */
    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@return the guest harness's source}: evaluated, a function of (shared, write, support) giving
     * [compile, runStdio, runCheck, clean, runCall]
     */
    String harness() {
        return resource(harnessResource);
    }

    /** {@return the Python that vets function-test results and runs call-based tests (judge_support.py)} */
    static String support() {
        return resource("judge_support.py");
    }

    /** {@return the source of a named prelude}: {@code leetcode} (Python) */
    static String prelude(String name) {
        return resource(name + "_prelude.py");
    }

    static String resource(String name) {
        try (InputStream in = Language.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return whether {@code code} defines, at the start of a line, the function or class an entry
     * point names first} ({@code Solution} of {@code Solution().twoSum})
     */
    abstract boolean defines(String code, String entryPoint);

    /** {@return whether {@code entryPoint} is a form this language's function tests can call} */
    abstract boolean acceptsEntryPoint(String entryPoint);

    /** {@return the forms {@link #acceptsEntryPoint} accepts, in words} */
    abstract String entryPointForm();

    /** {@return the program of a HumanEval-style test}: the head (the prompt, or nothing), the code, then the test */
    abstract String functionProgram(String head, String code, String test, String entryPoint);
}
