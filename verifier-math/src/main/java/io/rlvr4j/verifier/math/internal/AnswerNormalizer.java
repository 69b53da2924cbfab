package io.rlvr4j.verifier.math.internal;

/**
 * Light, purely textual normalisation of a final answer, applied to both sides before comparing:
 * <ol>
 *   <li>LaTeX spacing commands ({@code \, \; \: \! \ ~}) and {@code \displaystyle} are removed;
 *   <li>whole-answer wrappers are peeled, repeatedly: {@code $…$}, {@code $$…$$}, {@code \(…\)},
 *       {@code \[…\]}, {@code {…}}, {@code \text{…}}, {@code \textbf{…}}, {@code \mathrm{…}}, {@code \mathbf{…}},
 *       and trailing periods;
 *   <li>whitespace is removed, except a single space between two letters ({@code \pi r} stays apart
 *       from {@code \pir}).
 * </ol>
 * Full LaTeX normalisation (units, {@code \left}/{@code \right}, intervals …) is left to a later,
 * symbolic comparator. Linear time.
 */
final class AnswerNormalizer {

    private static final String[] SPACING = {"\\displaystyle", "\\,", "\\;", "\\:", "\\!", "\\ ", "~"};
    private static final String[] TEXT_WRAPPERS = {"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{"};
    private static final String[][] DELIMITERS = {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}};

    private AnswerNormalizer() {}

    static String normalize(String answer) {
        String s = answer;
        if (s.indexOf('\\') >= 0 || s.indexOf('~') >= 0) { // every spacing command has one of them
            for (String space : SPACING) s = s.replace(space, " ");
        }
        s = s.strip();
        String before;
        do {
            before = s;
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '.' || Character.isWhitespace(s.charAt(end - 1)))) end--;
            if (end < s.length()) s = s.substring(0, end);
            for (String[] d : DELIMITERS) {
                if (s.length() >= d[0].length() + d[1].length() && s.startsWith(d[0]) && s.endsWith(d[1])) {
                    String inner = s.substring(d[0].length(), s.length() - d[1].length());
                    if (!inner.contains(d[0]) && !inner.contains(d[1])) s = inner.strip();
                }
            }
            if (s.startsWith("{") && closingBrace(s, 0) == s.length() - 1) s = s.substring(1, s.length() - 1).strip();
            for (String w : TEXT_WRAPPERS) {
                if (s.startsWith(w) && closingBrace(s, w.length() - 1) == s.length() - 1) {
                    s = s.substring(w.length(), s.length() - 1).strip();
                }
            }
        } while (!s.equals(before));
        return squeezeWhitespace(s);
    }

    /** {@return the index of the brace that closes the one at {@code open}, or -1} (escaped braces skipped) */
    static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String squeezeWhitespace(String s) {
        if (s.chars().noneMatch(Character::isWhitespace)) return s;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                out.append(c);
                continue;
            }
            int j = i;
            while (j + 1 < s.length() && Character.isWhitespace(s.charAt(j + 1))) j++;
            boolean letterBefore = !out.isEmpty() && Character.isLetter(out.charAt(out.length() - 1));
            boolean letterAfter = j + 1 < s.length() && Character.isLetter(s.charAt(j + 1));
            if (letterBefore && letterAfter) out.append(' ');
            i = j;
        }
        return out.toString();
    }
}
