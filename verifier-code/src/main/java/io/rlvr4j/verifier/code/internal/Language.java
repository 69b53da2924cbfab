package io.rlvr4j.verifier.code.internal;

import java.util.Locale;
import java.util.Set;

/** The languages a program may be written in, with the names that select them. */
enum Language {
    PYTHON("python", Set.of("python", "py", "python3")),
    JAVASCRIPT("js", Set.of("javascript", "js", "node"));

    private final String polyglotId;
    private final Set<String> fenceNames;

    Language(String polyglotId, Set<String> fenceNames) {
        this.polyglotId = polyglotId;
        this.fenceNames = fenceNames;
    }

    /** {@return the GraalVM Polyglot language id} */
    String polyglotId() {
        return polyglotId;
    }

    /** {@return the info strings of a Markdown code fence that mean this language} */
    Set<String> fenceNames() {
        return fenceNames;
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
