package io.rlvr4j.verifier.code.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the program in a response: the last fenced code block (```) whose info string names the
 * language, or, if no block names any language, the last unlabelled block. A block labelled with
 * another language is never taken: a response that answers in C++ to a Python problem has no program.
 * An unclosed last fence (a response cut at its token budget) is no program.
 */
final class ProgramExtractor {

    /** A fence at the start of a line: three or more backticks, an optional info string, then the body up to a closing fence. */
    private static final Pattern BLOCK = Pattern.compile("(?m)^[ \\t]{0,3}(`{3,})[ \\t]*([\\w+#.-]*)[^\\n]*\\n(.*?)^[ \\t]{0,3}\\1`*[ \\t]*$",
            Pattern.DOTALL);

    private final Set<String> names;

    /** @param names the info strings that name the language, lower case (e.g. python, py, python3) */
    ProgramExtractor(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    static ProgramExtractor forLanguage(Language language) {
        return new ProgramExtractor(language.fenceNames());
    }

    /** {@return the program of the response}, or empty when it has none */
    Optional<String> extract(String response) {
        if (response == null) return Optional.empty();
        Matcher m = BLOCK.matcher(response);
        String labelled = null;
        String unlabelled = null;
        while (m.find()) {
            String info = m.group(2).toLowerCase(Locale.ROOT);
            if (names.contains(info)) labelled = m.group(3);
            else if (info.isEmpty()) unlabelled = m.group(3);
        }
        String body = labelled != null ? labelled : unlabelled;
        return body == null || body.isBlank() ? Optional.empty() : Optional.of(body);
    }
}
