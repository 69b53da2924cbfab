package io.rlvr4j.verifier.math.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset's reference answer turned into the answers that count as correct. Datasets store it in
 * different shapes: MATH gives a worked solution ending in {@code \boxed{…}}, GSM8K one ending in
 * {@code #### 72}, some give several acceptable forms ({@code ["1/2", "0.5"]}), most a bare answer,
 * often in {@code $…$}. Comparing a prediction with the whole worked solution would mark every
 * prediction wrong; this class finds the answer inside, so the comparator only ever sees answers.
 * <ol>
 *   <li>a JSON array of strings ({@code ["1/2", "0.5"]}) gives each non-blank element, each read by the
 *       rules below (so {@code ["$\frac12$"]} gives {@code \frac12}). The parser is hand-written and
 *       lenient about LaTeX written with single backslashes: {@code "\frac12"} is {@code \frac12}, not a
 *       form feed and {@code rac12}. A gold that is not such an array (an interval {@code [0, 1]},
 *       numbers {@code [1, 2]}) is not split;
 *   <li>a gold with a box (a worked solution) gives the answer of its boxes as a response's would be
 *       read: the last box, or the list of the boxes that close it ({@code \boxed{1} and \boxed{-2}});
 *   <li>a gold with {@code ####} gives the text after the last one, to the end of its line;
 *   <li>a gold longer than a bare answer with an answer phrase ("Final Answer: The final answer is
 *       $28\%$.") gives the phrase's answer;
 *   <li>otherwise the gold, trimmed and without {@code $…$}, {@code $$…$$}, {@code \(…\)} or {@code \[…\]}
 *       around it.
 * </ol>
 * A rule that finds nothing (an unclosed box, nothing after {@code ####}) passes to the next one, so a
 * non-blank gold always gives at least one answer, none of them blank. A blank or {@code null} gold
 * gives none: the verifier must report it as an error, since a gold that cannot be parsed must never
 * make every prediction correct.
 */
final class GoldAnswers {

    private GoldAnswers() {}

    /** {@return the acceptable answers, distinct, in order; empty only for a blank or null gold} */
    static List<String> parse(String gold) {
        if (gold == null || gold.isBlank()) return List.of();
        List<String> elements = jsonStrings(gold);
        if (elements != null) {
            Set<String> answers = new LinkedHashSet<>();
            for (String element : elements) {
                if (!element.isBlank()) answers.add(one(element));
            }
            if (!answers.isEmpty()) return List.copyOf(answers);
        }
        return List.of(one(gold));
    }

    /** {@return the answer in one non-blank gold: never blank} */
    private static String one(String gold) {
        String boxed = FinalAnswerExtractor.boxedAnswer(gold);
        if (boxed != null) return boxed;
        String hashes = FinalAnswerExtractor.afterLastHashes(gold);
        if (hashes != null && !hashes.isBlank()) return hashes;
        if (gold.length() > FinalAnswerExtractor.MAX_BARE) {
            String phrase = FinalAnswerExtractor.phraseAnswer(gold); // a worked solution ending "The final answer is $28\%$."
            if (phrase != null && !phrase.isBlank()) return phrase;
        }
        String plain = FinalAnswerExtractor.stripMathDelimiters(gold);
        return plain.isBlank() ? gold.strip() : plain; // "$$" is its own answer rather than none
    }

    /**
     * {@return the strings of a JSON array of strings that is all of {@code s} (white space around
     * it allowed), or null if {@code s} is not one} Escapes: {@code \" \\ \/} and &#92;u followed by four hex digits as in JSON;
     * {@code \b \f \n \r \t} as in JSON unless a letter follows (then it is a LaTeX command such as
     * {@code \frac}, {@code \theta}, {@code \neq}); any other backslash is kept as written
     * ({@code \sqrt}, {@code \pi}).
     */
    static List<String> jsonStrings(String s) {
        int n = s.length();
        int i = skipSpace(s, 0);
        if (i >= n || s.charAt(i) != '[') return null;
        i = skipSpace(s, i + 1);
        List<String> out = new ArrayList<>();
        if (i < n && s.charAt(i) == ']') return skipSpace(s, i + 1) == n ? out : null;
        while (true) {
            if (i >= n || s.charAt(i) != '"') return null;
            StringBuilder element = new StringBuilder();
            i++;
            while (true) {
                if (i >= n) return null;
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    break;
                }
                if (c < 0x20) return null; // JSON strings hold no raw control characters
                if (c != '\\') {
                    element.append(c);
                    i++;
                    continue;
                }
                if (i + 1 >= n) return null;
                char e = s.charAt(i + 1);
                boolean letterAfter = i + 2 < n && isAsciiLetter(s.charAt(i + 2));
                switch (e) {
                    case '"', '\\', '/' -> element.append(e);
                    case 'b', 'f', 'n', 'r', 't' -> {
                        if (letterAfter) element.append('\\').append(e);
                        else element.append(switch (e) {
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            default -> '\t';
                        });
                    }
                    case 'u' -> {
                        int code = hex4(s, i + 2);
                        if (code < 0) {
                            element.append("\\u"); // a LaTeX command such as \\underline
                        } else {
                            element.append((char) code);
                            i += 4;
                        }
                    }
                    default -> element.append('\\').append(e);
                }
                i += 2;
            }
            out.add(element.toString());
            i = skipSpace(s, i);
            if (i < n && s.charAt(i) == ',') {
                i = skipSpace(s, i + 1);
            } else if (i < n && s.charAt(i) == ']') {
                return skipSpace(s, i + 1) == n ? out : null;
            } else {
                return null;
            }
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** {@return the value of the four hex digits at {@code i}, or -1} */
    private static int hex4(String s, int i) {
        if (i + 4 > s.length()) return -1;
        int value = 0;
        for (int k = i; k < i + 4; k++) {
            int digit = Character.digit(s.charAt(k), 16);
            if (digit < 0) return -1;
            value = value * 16 + digit;
        }
        return value;
    }
}
