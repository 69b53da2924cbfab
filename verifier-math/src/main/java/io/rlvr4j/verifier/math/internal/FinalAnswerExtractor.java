package io.rlvr4j.verifier.math.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The final answer of a response, whichever of the common conventions the model followed. Prompts
 * and datasets disagree on how an answer is marked (MATH and most RL prompts ask for a box, GSM8K
 * solutions end with {@code ####}, chat models say "the answer is"), and a model in training drifts
 * between them; judging only boxes would score a correct "The answer is 3.5." as no answer. The rules
 * are tried in this order and the first that applies decides:
 * <ol>
 *   <li>{@code boxed}: {@code \boxed{…}} or {@code \fbox{…}}, with nested braces (escaped {@code \{ \}}
 *       do not nest; whitespace may precede the brace), or LaTeX's brace-less form {@code \boxed 5}
 *       (one token after spaces). When a response has several boxes a {@link MultipleBoxes} policy picks
 *       the answer. As soon as the response has a box, the box decides: an unclosed last box (a
 *       truncated response), a blank box or boxes that disagree give no answer, and no other rule is
 *       tried, else boxing a guess and writing another answer in prose would give two chances.
 *   <li>{@code answer_phrase}: the last "the final answer is X", "the answer is X", "final answer is X",
 *       "Final Answer: X" or "Answer: X" (any case), where X runs to the end of its line or sentence
 *       (a period followed by a space or the end, outside {@code $…$}, so {@code 3.5} keeps its decimal
 *       point); trailing periods, Markdown emphasis, math delimiters and a whole-X box are removed.
 *   <li>{@code gsm8k}: the text after the last {@code ####}, to the end of its line.
 *   <li>{@code bare}: a response of at most {@value #MAX_BARE} characters that is only an answer
 *       ({@code 42}, {@code $\frac12$}, {@code \(x+1\)}, {@code (B)}), without its math delimiters. Prose
 *       (two words in a row, such as "no idea", outside {@code \text{…}}, which holds units) is not an answer.
 * </ol>
 * Anything else is no answer. In particular the last number of a response is never taken: a model
 * would learn to end every response with a number.
 *
 * <p>Answers are returned as written (multiple-choice {@code (B)}, {@code \text{(B)}}, {@code B}
 * alike): interpreting them is the comparator's job. An extracted answer is never blank.
 *
 * <p>Responses may be megabytes of junk, so every rule is a hand-written scan, linear in the response
 * length: one forward pass finds every box with a stack of open braces (rather than one scan per box,
 * which is quadratic on {@code \boxed{\boxed{\boxed{…}}}}), the phrase search is one backward pass, and
 * a phrase's answer is capped at {@value #MAX_PHRASE} characters. Immutable and thread-safe; never
 * throws; a {@code null} response has no answer.
 */
final class FinalAnswerExtractor implements AnswerExtractor {

    /** What to do when a response has more than one box. */
    enum MultipleBoxes {
        /** The last box (the one opened last), the convention of MATH graders; the default. */
        LAST,
        /** The first box: for prompts that ask for the answer first and the working after. */
        FIRST,
        /** Every box must hold the same text (after trimming whitespace), else there is no answer. */
        ALL_AGREE,
        /**
         * The strictest: boxes whose contents differ in any character, whitespace included, give no
         * answer; so does a box nested inside another with more around it.
         */
        REJECT
    }

    /**
     * A final answer and the rule that found it: {@value #BOXED}, {@value #ANSWER_PHRASE},
     * {@value #GSM8K} or {@value #BARE}. The rule is worth logging: a run whose answers move from boxes
     * to bare text is drifting away from the prompt's format.
     */
    record Extraction(String answer, String rule) {
        static final String BOXED = "boxed";
        static final String ANSWER_PHRASE = "answer_phrase";
        static final String GSM8K = "gsm8k";
        static final String BARE = "bare";

        Extraction {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** The longest answer taken after an answer phrase or {@code ####}; a longer one is no answer. */
    static final int MAX_PHRASE = 1_000;
    /** The longest response (whitespace around it excluded) that may be a bare answer. */
    static final int MAX_BARE = 100;

    private static final String[] BOX_COMMANDS = {"\\boxed", "\\fbox"};
    private static final String[][] MATH_DELIMITERS = {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}};

    private final MultipleBoxes policy;

    /** An extractor with the {@link MultipleBoxes#LAST} policy. */
    FinalAnswerExtractor() {
        this(MultipleBoxes.LAST);
    }

    /** An extractor that settles several boxes by {@code policy}. */
    FinalAnswerExtractor(MultipleBoxes policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public Optional<String> extract(String response) {
        return find(response).map(Extraction::answer);
    }

    /** {@return the final answer and the rule that found it, or empty when the response gives none} */
    Optional<Extraction> find(String response) {
        if (response == null || response.isEmpty()) return Optional.empty();
        Boxes boxes = Boxes.scan(response);
        if (boxes.count > 0) return found(boxes.pick(policy), Extraction.BOXED);
        Optional<Extraction> phrase = found(answerPhrase(response), Extraction.ANSWER_PHRASE);
        if (phrase.isPresent()) return phrase;
        Optional<Extraction> gsm8k = found(afterLastHashes(response), Extraction.GSM8K);
        if (gsm8k.isPresent()) return gsm8k;
        return found(bare(response), Extraction.BARE);
    }

    private static Optional<Extraction> found(String answer, String rule) {
        return answer == null || answer.isBlank() ? Optional.empty() : Optional.of(new Extraction(answer, rule));
    }

    // ---------------------------------------------------------------- boxes

    /**
     * {@return the text of the last box of {@code s}, trimmed; or null when {@code s} has no box, or its
     * last box is unclosed or blank}
     */
    static String lastBox(String s) {
        if (s == null) return null;
        String text = Boxes.scan(s).pick(MultipleBoxes.LAST);
        return text == null || text.isBlank() ? null : text;
    }

    /**
     * Every box of a string, in the order they open, found in one forward pass. Box {@code k} starts at
     * {@code command[k]} (its backslash); its content is {@code [from[k], to[k])}, {@code to[k]} being -1
     * while it is unclosed; the whole box ends at {@code end[k]} (after its closing brace or token).
     */
    private static final class Boxes {
        final String s;
        int count;
        int[] command = new int[4];
        int[] from = new int[4];
        int[] to = new int[4];
        int[] end = new int[4];

        private Boxes(String s) {
            this.s = s;
        }

        /**
         * The same brace rules as {@link BoxedAnswerExtractor}'s scan of one box, applied to all boxes at
         * once: a stack holds, for each open brace, the box it opens (or -1), so a closing brace closes
         * the box whose content it ends. A backslash escapes the next character, except that a box
         * command may follow it ({@code \\boxed{1}} counts, as it does for the last-box search).
         */
        static Boxes scan(String s) {
            Boxes boxes = new Boxes(s);
            int n = s.length();
            int[] stack = new int[16];
            int depth = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    int at = i;
                    int length = boxCommandLength(s, at);
                    if (length == 0 && i + 1 < n && s.charAt(i + 1) == '\\') {
                        at = i + 1;
                        length = boxCommandLength(s, at);
                    }
                    if (length == 0) {
                        i++; // an escaped character, e.g. \{ or \}, never changes the depth
                        continue;
                    }
                    int afterName = at + length;
                    int next = afterName;
                    while (next < n && Character.isWhitespace(s.charAt(next))) next++;
                    if (next < n && s.charAt(next) == '{') {
                        if (depth == stack.length) stack = Arrays.copyOf(stack, 2 * depth);
                        stack[depth++] = boxes.open(at, next + 1);
                        i = next;
                    } else {
                        if (next > afterName && next < n && spacesOnly(s, afterName, next)) boxes.token(at, next);
                        i = afterName - 1; // the spaces and the token are scanned as ordinary text
                    }
                } else if (c == '{') {
                    if (depth == stack.length) stack = Arrays.copyOf(stack, 2 * depth);
                    stack[depth++] = -1;
                } else if (c == '}' && depth > 0) {
                    int box = stack[--depth];
                    if (box >= 0) {
                        boxes.to[box] = i;
                        boxes.end[box] = i + 1;
                    }
                }
            }
            return boxes;
        }

        private int open(int at, int contentFrom) {
            if (count == command.length) {
                int size = 2 * count;
                command = Arrays.copyOf(command, size);
                from = Arrays.copyOf(from, size);
                to = Arrays.copyOf(to, size);
                end = Arrays.copyOf(end, size);
            }
            command[count] = at;
            from[count] = contentFrom;
            to[count] = -1;
            end[count] = -1;
            return count++;
        }

        /**
         * A brace-less box, {@code \boxed 5}: LaTeX boxes the next token. The token is taken up to white
         * space, a dollar, a brace, {@code \)}, {@code \]} or {@code \\} (so {@code \boxed 42} is 42, not
         * LaTeX's 4), less trailing punctuation. Prose is not a token: {@code "put it in \boxed and
         * …"} has no box, nor has {@code "\boxed (or \fbox)"}, so a token may not contain two letters in a
         * row outside a command name. Tokens end at white space, so they never overlap: linear.
         */
        private void token(int at, int start) {
            int n = s.length();
            if (boxCommandLength(s, start) > 0) return; // \boxed \boxed{1}: the second one is the box
            int stop = start;
            while (stop < n) {
                char c = s.charAt(stop);
                if (Character.isWhitespace(c) || c == '$' || c == '{' || c == '}') break;
                if (c == '\\' && stop + 1 < n) {
                    char d = s.charAt(stop + 1);
                    if (d == ')' || d == ']' || d == '\\') break;
                    if (d == '{' || d == '}') stop++; // an escaped brace belongs to the token
                }
                stop++;
            }
            int stripped = stop;
            while (stripped > start && ".,;:".indexOf(s.charAt(stripped - 1)) >= 0) stripped--;
            if (stripped == start || hasLetterPair(s, start, stripped)) return;
            int box = open(at, start);
            to[box] = stripped;
            end[box] = stop;
        }

        /**
         * {@return the answer the policy picks, trimmed, or null} (null: no box, an unclosed box where
         * one is needed, or disagreeing boxes)
         */
        String pick(MultipleBoxes policy) {
            if (count == 0) return null;
            return switch (policy) {
                case LAST -> text(count - 1);
                case FIRST -> text(0);
                case ALL_AGREE -> allAgree();
                case REJECT -> allIdentical() ? text(0) : null;
            };
        }

        /** {@return box k's content, trimmed and with whole-content boxes peeled, or null if unclosed} */
        private String text(int k) {
            if (to[k] < 0) return null;
            long range = peeled(k, null);
            return s.substring((int) (range >>> 32), (int) range);
        }

        /**
         * {@return box k's trimmed content range, packed as {@code from << 32 | to}, after peeling a
         * content that is itself exactly a box ({@code \boxed{\boxed{5}}} is 5)} Only box k + 1 can be
         * such a box: it is the first to open after box k. With {@code memo} (ranges of the boxes after
         * k), one step; without, it follows the chain.
         */
        private long peeled(int k, long[] memo) {
            while (true) {
                int a = from[k];
                int b = to[k];
                while (a < b && Character.isWhitespace(s.charAt(a))) a++;
                while (b > a && Character.isWhitespace(s.charAt(b - 1))) b--;
                int inner = k + 1;
                if (inner >= count || command[inner] != a || end[inner] != b || to[inner] < 0) {
                    return (long) a << 32 | b;
                }
                if (memo != null) return memo[inner];
                k = inner;
            }
        }

        private String allAgree() {
            long[] ranges = new long[count];
            for (int k = count - 1; k >= 0; k--) {
                if (to[k] < 0) return null;
                ranges[k] = peeled(k, ranges);
            }
            for (int k = 1; k < count; k++) {
                // boxes peeled to the same range are consecutive (a chain of boxes around one content)
                if (ranges[k] != ranges[k - 1] && !sameText(ranges[0], ranges[k])) return null;
            }
            return s.substring((int) (ranges[0] >>> 32), (int) ranges[0]);
        }

        private boolean allIdentical() {
            for (int k = 0; k < count; k++) {
                if (to[k] < 0) return false;
                if (!sameText((long) from[0] << 32 | to[0], (long) from[k] << 32 | to[k])) return false;
            }
            return true;
        }

        /**
         * Ranges of equal length are compared character by character. Linear in all: two boxes'
         * different ranges are disjoint or nested, nested ones (strictly shorter) are told apart by their
         * length, so the different ranges as long as box 0's that are compared are disjoint.
         */
        private boolean sameText(long x, long y) {
            int xa = (int) (x >>> 32);
            int xb = (int) x;
            int ya = (int) (y >>> 32);
            int yb = (int) y;
            if (xb - xa != yb - ya) return false;
            return xa == ya || s.regionMatches(xa, s, ya, xb - xa);
        }
    }

    /** {@return the length of the box command at {@code at} ({@code \boxedfoo} is none), or 0} */
    private static int boxCommandLength(String s, int at) {
        for (String command : BOX_COMMANDS) {
            int after = at + command.length();
            if (s.startsWith(command, at) && (after >= s.length() || !Character.isLetter(s.charAt(after)))) {
                return command.length();
            }
        }
        return 0;
    }

    private static boolean spacesOnly(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t') return false;
        }
        return true;
    }

    /** {@return whether two letters follow each other in {@code [from, to)} outside a command name} */
    private static boolean hasLetterPair(String s, int from, int to) {
        boolean commandName = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!Character.isLetter(c)) {
                commandName = c == '\\';
            } else if (!commandName && i > from && Character.isLetter(s.charAt(i - 1))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- "the answer is"

    /**
     * {@return the answer after the last answer phrase, or null} Only the last phrase counts: "The
     * answer is 5. Let me check … so the answer is 6." answers 6, and a last phrase with nothing usable
     * after it does not fall back to an earlier one. One backward pass over the candidates "answer";
     * checking a candidate only reads the white space next to it.
     */
    private static String answerPhrase(String s) {
        for (int i = s.length() - "answer".length(); i >= 0; i--) {
            if (s.regionMatches(true, i, "answer", 0, 6)) {
                int start = afterAnswerPhrase(s, i);
                if (start >= 0) return phraseAnswer(s, start);
            }
        }
        return null;
    }

    /**
     * {@return where the answer starts if "answer" at {@code i} is part of an answer phrase, else -1}
     * "answer:" may follow any word ("Final Answer:", "**Answer**:"); "answer is" must follow "the" or
     * "final", so that "my answer is wrong, …" is not taken for an answer.
     */
    private static int afterAnswerPhrase(String s, int i) {
        int n = s.length();
        int j = i + 6;
        if (i > 0 && Character.isLetter(s.charAt(i - 1)) || j < n && Character.isLetter(s.charAt(j))) return -1;
        int colon = j;
        while (colon < n && (s.charAt(colon) == '*' || s.charAt(colon) == ' ' || s.charAt(colon) == '\t')) colon++;
        if (colon < n && s.charAt(colon) == ':') return colon + 1;
        int is = j;
        while (is < n && Character.isWhitespace(s.charAt(is))) is++;
        if (is == j || !s.regionMatches(true, is, "is", 0, 2) || is + 2 < n && Character.isLetter(s.charAt(is + 2))) {
            return -1;
        }
        if (!followsWord(s, i, "the") && !followsWord(s, i, "final")) return -1;
        int start = is + 2;
        while (start < n && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) start++;
        return start < n && s.charAt(start) == ':' ? start + 1 : start;
    }

    /** {@return whether the word {@code word} and white space come right before {@code i}} */
    private static boolean followsWord(String s, int i, String word) {
        int end = i;
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) end--;
        int start = end - word.length();
        return end < i && start >= 0 && s.regionMatches(true, start, word, 0, word.length())
                && (start == 0 || !Character.isLetter(s.charAt(start - 1)));
    }

    /**
     * The answer after a phrase: it starts after white space (on the next line if the phrase ends its
     * line) and ends at the end of its line, or at a period followed by white space or the end, outside
     * math ({@code $…$}, {@code \(…\)}, {@code \[…\]}). Null if longer than {@value #MAX_PHRASE}.
     */
    private static String phraseAnswer(String s, int start) {
        int n = s.length();
        int p = start;
        while (p < n && Character.isWhitespace(s.charAt(p))) p++;
        boolean math = false;
        int e = p;
        for (; e < n; e++) {
            if (e - p > MAX_PHRASE) return null;
            char c = s.charAt(e);
            if (c == '\n' || c == '\r') break;
            if (c == '\\' && e + 1 < n) {
                char d = s.charAt(++e);
                if (d == '(' || d == '[') math = true;
                else if (d == ')' || d == ']') math = false;
            } else if (c == '$') {
                math = !math;
            } else if (c == '.' && !math && (e + 1 == n || Character.isWhitespace(s.charAt(e + 1)))) {
                break;
            }
        }
        if (Math.min(e, n) - p > MAX_PHRASE) return null;
        return clean(s.substring(p, Math.min(e, n)));
    }

    // ---------------------------------------------------------------- "####" and bare answers

    /** {@return the text after the last {@code ####} to the end of its line, trimmed, or null} */
    static String afterLastHashes(String s) {
        int hashes = s.lastIndexOf("####");
        if (hashes < 0) return null;
        int start = hashes + 4;
        int e = start;
        while (e < s.length() && s.charAt(e) != '\n' && s.charAt(e) != '\r') {
            if (++e - start > MAX_PHRASE) return null;
        }
        return s.substring(start, e).strip();
    }

    /** {@return a short response that is only an answer, without its math delimiters, or null} */
    private static String bare(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && Character.isWhitespace(s.charAt(a))) a++;
        while (b > a && Character.isWhitespace(s.charAt(b - 1))) b--;
        if (b - a > MAX_BARE) return null;
        String answer = clean(s.substring(a, b));
        boolean letterOrDigit = answer.chars().anyMatch(Character::isLetterOrDigit);
        if (!letterOrDigit || answer.indexOf('\n') >= 0 || answer.indexOf('\r') >= 0 || isProse(withoutTextGroups(answer))) return null;
        return answer;
    }

    private static final java.util.regex.Pattern TEXT_COMMAND = java.util.regex.Pattern.compile("\\\\(?:text|mbox|mathrm|textrm)\\s*\\{");

    /** {@return s without its {@code \text{…}} groups}: units written in LaTeX ({@code 4 \text{ square units}}) are not prose */
    private static String withoutTextGroups(String s) {
        java.util.regex.Matcher m = TEXT_COMMAND.matcher(s);
        if (!m.find()) return s;
        StringBuilder out = new StringBuilder();
        int from = 0;
        do {
            int close = AnswerNormalizer.closingBrace(s, m.end() - 1);
            out.append(s, from, m.start()).append(' ');
            from = close < 0 ? s.length() : close + 1;
        } while (from < s.length() && m.find(from));
        return out.append(s, Math.min(from, s.length()), s.length()).toString();
    }

    /**
     * {@return whether two words (runs of two or more letters, apostrophes included, that are not
     * command names) follow each other with only white space between} "42 apples", "x + y", "sin x" and
     * {@code \frac{a}{b}} are answers; "no idea", "I don't know" are prose.
     */
    private static boolean isProse(String s) {
        boolean afterWord = false;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (Character.isLetter(c)) {
                int j = i;
                int letters = 0;
                while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '\'')) {
                    if (s.charAt(j) != '\'') letters++;
                    j++;
                }
                boolean word = letters >= 2 && (i == 0 || s.charAt(i - 1) != '\\');
                if (word && afterWord && Character.isWhitespace(s.charAt(i - 1))) return true;
                afterWord = word;
                i = j;
            } else {
                if (!Character.isWhitespace(c)) afterWord = false;
                i++;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- clean-up

    /**
     * {@return an answer without what surrounds it in prose: white space, Markdown emphasis
     * ({@code **5**}), trailing periods (never a decimal point: "3.5." gives 3.5), math delimiters and a
     * box around all of it} Answers here are short (at most {@value #MAX_PHRASE} characters).
     */
    static String clean(String answer) {
        String s = answer;
        String before;
        do {
            before = s;
            int a = 0;
            int b = s.length();
            while (a < b && (Character.isWhitespace(s.charAt(a)) || s.charAt(a) == '*')) a++;
            while (b > a && (Character.isWhitespace(s.charAt(b - 1)) || s.charAt(b - 1) == '*' || s.charAt(b - 1) == '.')) b--;
            s = s.substring(a, b);
            s = stripMathDelimiters(s);
            s = peelBox(s);
        } while (!s.equals(before));
        return s;
    }

    /**
     * {@return {@code s} trimmed, without {@code $…$}, {@code $$…$$}, {@code \(…\)} or {@code \[…\]}
     * around all of it} ({@code $1$ or $2$} keeps its dollars: they do not surround one formula)
     */
    static String stripMathDelimiters(String answer) {
        String s = answer.strip();
        String before;
        do {
            before = s;
            for (String[] d : MATH_DELIMITERS) {
                if (s.length() >= d[0].length() + d[1].length() && s.startsWith(d[0]) && s.endsWith(d[1])) {
                    String inner = s.substring(d[0].length(), s.length() - d[1].length());
                    if (!inner.contains(d[0]) && !inner.contains(d[1])) s = inner.strip();
                }
            }
        } while (!s.equals(before));
        return s;
    }

    /** {@return the content of a box that is all of {@code s}, trimmed; else {@code s}} */
    private static String peelBox(String s) {
        int length = boxCommandLength(s, 0);
        if (length == 0) return s;
        int open = length;
        while (open < s.length() && Character.isWhitespace(s.charAt(open))) open++;
        if (open >= s.length() || s.charAt(open) != '{') return s;
        return AnswerNormalizer.closingBrace(s, open) == s.length() - 1 ? s.substring(open + 1, s.length() - 1).strip() : s;
    }
}
