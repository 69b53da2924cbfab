package io.rlvr4j.verifier.math.internal;

import java.util.Optional;

/**
 * The first version of the extractor, kept as the oracle of {@code FinalAnswerExtractorTest}: the content
 * of the <em>last</em> {@code \boxed{…}} (or {@code \fbox{…}}) of a response, with nested
 * braces: {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}. This is the convention of MATH,
 * SimpleRL-Zero and Sky-T1 prompts ("put your final answer within \boxed{}").
 *
 * <p>Rules that keep it from being gamed or fooled:
 * <ul>
 *   <li>only the last box counts: a response that boxes several candidates is judged on its last one;
 *   <li>if the last box is not closed (a truncated response) there is no answer, even when an earlier
 *       box is complete;
 *   <li>escaped braces {@code \{ \}} do not count as nesting;
 *   <li>an empty or blank box is no answer;
 *   <li>{@code \boxedfoo} is another command, not a box; whitespace may separate {@code \boxed} from its opening brace.
 * </ul>
 * One backward search for the last box and one forward scan for its closing brace: linear time.
 */
final class BoxedAnswerExtractor implements AnswerExtractor {

    private static final String[] COMMANDS = {"\\boxed", "\\fbox"};

    @Override
    public Optional<String> extract(String response) {
        if (response == null) return Optional.empty();
        int open = lastBoxOpening(response);
        if (open < 0) return Optional.empty();
        int depth = 1;
        for (int i = open + 1; i < response.length(); i++) {
            char c = response.charAt(i);
            if (c == '\\') {
                i++; // an escaped character, e.g. \{ or \}, never changes the depth
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                String content = response.substring(open + 1, i);
                return content.isBlank() ? Optional.empty() : Optional.of(content);
            }
        }
        return Optional.empty(); // the last box is never closed
    }

    /** {@return the index of the opening brace of the last box, or -1} (one backward pass) */
    private static int lastBoxOpening(String s) {
        // each whitespace run is skipped at most once: it ends at the command found after it
        for (int i = s.length() - 1; i >= 0; i--) {
            if (s.charAt(i) != '\\') continue;
            for (String command : COMMANDS) {
                int j = i + command.length();
                if (!s.startsWith(command, i) || j >= s.length() || Character.isLetter(s.charAt(j))) continue;
                int brace = Character.isWhitespace(s.charAt(j)) ? nextNonSpaceAfter(s, j) : j;
                if (brace < s.length() && s.charAt(brace) == '{') return brace;
            }
        }
        return -1;
    }

    private static int nextNonSpaceAfter(String s, int j) {
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
        return j;
    }
}
