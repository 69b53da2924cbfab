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
        @Override
        boolean defines(String code, String function) {
            return Pattern.compile("(?m)^\\s*(?:async\\s+)?def\\s+" + function + "\\s*\\(").matcher(code).find();
        }

        @Override
        String functionProgram(String head, String code, String test, String entryPoint) {
            return head + code + "\n\n" + test + "\n";
        }
    },
    JAVASCRIPT("js", Set.of("javascript", "js", "node", "nodejs"), "harness.js") {
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

    /** {@return the guest harness's source}: evaluated, a function of (shared, write) giving [compile, runStdio, runCheck, clean] */
    String harness() {
        try (InputStream in = Language.class.getResourceAsStream(harnessResource)) {
            if (in == null) throw new IllegalStateException("missing resource " + harnessResource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return whether {@code code} defines a function named {@code function} at the start of a line} */
    abstract boolean defines(String code, String function);

    /** {@return the program of a HumanEval-style test}: the head (the prompt, or nothing), the code, then the test */
    abstract String functionProgram(String head, String code, String test, String entryPoint);
}
