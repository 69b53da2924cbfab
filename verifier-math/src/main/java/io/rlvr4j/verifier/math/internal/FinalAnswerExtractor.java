package io.rlvr4j.verifier.math.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The final answer of a response, whichever of the common conventions the model followed. Prompts
 * and datasets disagree on how an answer is marked (MATH and most RL prompts ask for a box, GSM8K
 * solutions end with {@code ####}, chat models say "the answer is", Minerva-style few-shot prompts end
 * with "Final Answer: The final answer is $X$. I hope it is correct."), and a model in training drifts
 * between them. The layers ({@link Layer}, each switchable) give candidates in this order:
 * <ol>
 *   <li>{@code boxed}: {@code \boxed{…}} or {@code \fbox{…}}, with nested braces (escaped {@code \{ \}}
 *       do not nest; whitespace may precede the brace), or LaTeX's brace-less form {@code \boxed 5}
 *       (one token after spaces). Which boxes count is the {@link MultipleBoxes} policy; by default the
 *       boxes that close the response ({@link MultipleBoxes#JOIN}) are one answer, several different ones
 *       a list (rule {@value Extraction#BOXES}), which the verifier accepts only where the reference has
 *       as many answers. As soon as the response has a box, the box decides: an unclosed last box (a
 *       truncated response) or a blank box gives no answer, and no later layer is tried, else boxing a
 *       guess and writing another answer in prose would give two chances. One exception: a "final
 *       answer" phrase written after the last box (the Minerva format above, after intermediate boxes)
 *       is the answer.
 *   <li>{@code answer_phrase}: the last "the final answer is X", "the answer is X", "final answer is X",
 *       "Final Answer: X" or "Answer: X" (any case), where X runs to the end of its line or sentence
 *       (a period followed by a space or the end, outside {@code $…$}, so {@code 3.5} keeps its decimal
 *       point); trailing periods and commas, Markdown emphasis, math delimiters and a whole-X box are
 *       removed. Where X is prose ending in "is Y" ("The largest $n$ is 34"), Y is the next candidate.
 *   <li>{@code gsm8k}: the text after the last {@code ####}, to the end of its line.
 *   <li>{@code math_span}: the contents of the last {@value #MAX_SPANS} math spans ({@code $…$},
 *       {@code $$…$$}, {@code \(…\)}, {@code \[…\]}; {@code \$} is a dollar sign), the last first:
 *       "Therefore $x \geq 5$ is the solution."
 *   <li>{@code bare}: a response of at most {@value #MAX_BARE} characters that is only an answer
 *       ({@code 42}, {@code (B)}), without its math delimiters. Prose (two words in a row, such as "no
 *       idea", outside {@code \text{…}}, which holds units) is not an answer.
 *   <li>{@code last_number} (off by default): the last number of the response ({@code 1,000.99},
 *       {@code -4/9}). Math-Verify's expression extraction does this; it is off here because a model
 *       then learns that ending on any number is an answer.
 * </ol>
 * The verifier takes the first candidate it can parse, or the first if it can parse none: a candidate
 * written in LaTeX it cannot read ("Final answer is $\sum_k k$. … $42$") does not hide a later one, and
 * still only one answer is ever compared.
 *
 * <p>Answers are returned as written (multiple-choice {@code (B)}, {@code \text{(B)}}, {@code B}
 * alike): interpreting them is the comparator's job. An extracted answer is never blank.
 *
 * <p>Responses may be megabytes of junk, so every rule is a hand-written scan, linear in the response
 * length: one forward pass finds every box with a stack of open braces (rather than one scan per box,
 * which is quadratic on {@code \boxed{\boxed{\boxed{…}}}}), the phrase search is one backward pass, the
 * math spans one forward pass, and answers are capped at {@value #MAX_PHRASE} characters. Immutable and
 * thread-safe; never throws; a {@code null} response has no answer.
 */
final class FinalAnswerExtractor implements AnswerExtractor {

    /** The places an answer is looked for, in the order they are tried. */
    enum Layer {
        BOXED, ANSWER_PHRASE, GSM8K, MATH_SPAN, BARE, LAST_NUMBER;

        /** Every layer but {@link #LAST_NUMBER}. */
        static final Set<Layer> DEFAULT = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(LAST_NUMBER)));
    }

    /** What to do when a response has more than one box. */
    enum MultipleBoxes {
        /**
         * The default: the last box and the boxes right before it (each separated from the next by at
         * most {@value FinalAnswerExtractor#MAX_BOX_GAP} characters and no blank line: commas, "and",
         * {@code \quad}, "for part (a)") are one answer; when their contents differ, the answer is
         * their list ({@code \boxed{1}, \boxed{2}} is {@code 1, 2}), which only a reference with as many
         * answers equals. So {@code \boxed{40}, \boxed{41}, \boxed{42}} never earns the reward for 42,
         * while boxes far apart (an intermediate result, then the answer) leave the last one.
         */
        JOIN,
        /** The last box (the one opened last), the convention of older MATH graders. */
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
     * A final answer and the rule that found it: {@value #BOXED}, {@value #BOXES}, {@value #ANSWER_PHRASE},
     * {@value #GSM8K}, {@value #MATH_SPAN}, {@value #BARE} or {@value #LAST_NUMBER}. The rule is worth
     * logging: a run whose answers move from boxes to bare text is drifting away from the prompt's format.
     */
    record Extraction(String answer, String rule) {
        static final String BOXED = "boxed";
        /** Several different boxes, joined as a list. */
        static final String BOXES = "boxes";
        static final String ANSWER_PHRASE = "answer_phrase";
        static final String GSM8K = "gsm8k";
        static final String MATH_SPAN = "math_span";
        static final String BARE = "bare";
        static final String LAST_NUMBER = "last_number";

        Extraction {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** The longest answer taken after an answer phrase or {@code ####}, or in a math span; a longer one is none. */
    static final int MAX_PHRASE = 1_000;
    /** The longest response (whitespace around it excluded) that may be a bare answer. */
    static final int MAX_BARE = 100;
    /** The most math spans offered as candidates. */
    static final int MAX_SPANS = 8;
    /** The most characters between two boxes that {@link MultipleBoxes#JOIN} reads as one answer. */
    static final int MAX_BOX_GAP = 40;

    private static final String[] BOX_COMMANDS = {"\\boxed", "\\fbox"};
    private static final String[][] MATH_DELIMITERS = {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}};

    private final MultipleBoxes policy;
    private final Set<Layer> layers;

    /** An extractor with the {@link MultipleBoxes#JOIN} policy and the {@link Layer#DEFAULT} layers. */
    FinalAnswerExtractor() {
        this(MultipleBoxes.JOIN);
    }

    /** An extractor that settles several boxes by {@code policy}, with the default layers. */
    FinalAnswerExtractor(MultipleBoxes policy) {
        this(policy, Layer.DEFAULT);
    }

    /** An extractor that settles several boxes by {@code policy} and looks only where {@code layers} say. */
    FinalAnswerExtractor(MultipleBoxes policy, Set<Layer> layers) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (layers.isEmpty()) throw new IllegalArgumentException("at least one layer is needed");
        this.layers = Collections.unmodifiableSet(EnumSet.copyOf(layers));
    }

    @Override
    public Optional<String> extract(String response) {
        return find(response).map(Extraction::answer);
    }

    /** {@return the first candidate answer and the rule that found it, or empty when the response gives none} */
    Optional<Extraction> find(String response) {
        List<Extraction> all = candidates(response);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /**
     * {@return the candidate answers in the order the verifier tries them (see the class comment),
     * distinct; empty when the response gives none}
     */
    List<Extraction> candidates(String response) {
        if (response == null || response.isEmpty()) return List.of();
        List<Extraction> out = new ArrayList<>(4);
        Boxes boxes = layers.contains(Layer.BOXED) ? Boxes.scan(response) : null;
        boolean phrases = layers.contains(Layer.ANSWER_PHRASE);
        if (boxes != null && boxes.count > 0) {
            int lastEnd = boxes.lastEnd();
            Phrase after = phrases && lastEnd >= 0 ? lastPhrase(response, lastEnd) : null; // only the text after the boxes
            if (after != null && after.isFinal) {
                after.addTo(out);
                return out;
            }
            Box picked = boxes.pick(policy);
            if (picked != null && !picked.text.isBlank()) add(out, picked.text, picked.several ? Extraction.BOXES : Extraction.BOXED);
            return out;
        }
        Phrase phrase = phrases ? lastPhrase(response, 0) : null;
        if (phrase != null) phrase.addTo(out);
        if (layers.contains(Layer.GSM8K)) add(out, afterLastHashes(response), Extraction.GSM8K);
        if (layers.contains(Layer.MATH_SPAN)) {
            for (String span : mathSpans(response)) add(out, clean(span), Extraction.MATH_SPAN);
        }
        if (layers.contains(Layer.BARE)) add(out, bare(response), Extraction.BARE);
        if (layers.contains(Layer.LAST_NUMBER)) add(out, lastNumber(response), Extraction.LAST_NUMBER);
        return out;
    }

    private static void add(List<Extraction> out, String answer, String rule) {
        if (answer == null || answer.isBlank()) return;
        for (Extraction e : out) {
            if (e.answer().equals(answer)) return;
        }
        out.add(new Extraction(answer, rule));
    }

    // ---------------------------------------------------------------- boxes

    /**
     * {@return the answer in the boxes of {@code s} by the {@link MultipleBoxes#JOIN} policy (one box's
     * text, or the list of the closing boxes), trimmed; or null when {@code s} has no box, or its last
     * box is unclosed or blank}
     */
    static String boxedAnswer(String s) {
        if (s == null) return null;
        Box box = Boxes.scan(s).pick(MultipleBoxes.JOIN);
        return box == null || box.text.isBlank() ? null : box.text;
    }

    /** The answer the boxes give: one box's text, or (several) the list of different boxes' texts. */
    private record Box(String text, boolean several) {}

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
            for (int i = firstBoxRun(s); i < n; i++) {
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

        /**
         * {@return where the scan may start: the run of backslashes before the first box command, or the end}
         * Text before it holds no box, and braces it leaves open change no box's extent (the stack below
         * holds only non-boxes, and a closing brace with none open is ignored); starting at the run's
         * first backslash keeps the escapes' parity. A worked solution is mostly prose before its box.
         */
        private static int firstBoxRun(String s) {
            int first = s.length();
            for (String command : BOX_COMMANDS) {
                int at = s.indexOf(command);
                if (at >= 0 && at < first) first = at;
            }
            while (first > 0 && first < s.length() && s.charAt(first - 1) == '\\') first--;
            return first;
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
        Box pick(MultipleBoxes policy) {
            if (count == 0) return null;
            String text = switch (policy) {
                case JOIN -> null;
                case LAST -> text(count - 1);
                case FIRST -> text(0);
                case ALL_AGREE -> allAgree();
                case REJECT -> allIdentical() ? text(0) : null;
            };
            if (policy == MultipleBoxes.JOIN) return joined();
            return text == null ? null : new Box(text, false);
        }

        /** {@return where the last box that is not inside another ends (-1 if unclosed)} */
        int lastEnd() {
            int top = lastTopLevel();
            return top < 0 ? -1 : end[top];
        }

        /** {@return the last box not nested in another one} Boxes open in order, so one pass keeps it. */
        private int lastTopLevel() {
            int top = -1;
            for (int k = 0; k < count; k++) {
                if (top < 0 || end[top] >= 0 && command[k] >= end[top]) top = k;
            }
            return top;
        }

        /**
         * The {@link MultipleBoxes#JOIN} policy: the last top-level box and those right before it, each
         * at most {@value #MAX_BOX_GAP} characters and no blank line from the next; their distinct texts
         * in order, joined by commas. Null when the last box is unclosed.
         */
        private Box joined() {
            List<Integer> tops = new ArrayList<>();
            int top = -1;
            for (int k = 0; k < count; k++) {
                if (top < 0 || end[top] >= 0 && command[k] >= end[top]) {
                    top = k;
                    tops.add(k);
                }
            }
            int last = tops.getLast();
            if (to[last] < 0) return null;
            int first = tops.size() - 1;
            while (first > 0) {
                int prev = tops.get(first - 1);
                int gapFrom = end[prev];
                int gapTo = command[tops.get(first)];
                if (gapTo - gapFrom > MAX_BOX_GAP || s.substring(gapFrom, gapTo).contains("\n\n")) break;
                first--;
            }
            List<String> texts = new ArrayList<>();
            for (int i = first; i < tops.size(); i++) {
                String t = text(tops.get(i));
                if (t != null && !t.isBlank() && !texts.contains(t)) texts.add(t);
            }
            if (texts.isEmpty()) return new Box("", false);
            return texts.size() == 1 ? new Box(texts.getFirst(), false) : new Box(String.join(", ", texts), true);
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
     * The last answer phrase of a response.
     *
     * @param at where its word "answer" starts
     * @param isFinal whether "final" comes right before that word ("Final Answer:", "the final answer is")
     * @param answer what follows it, cleaned; null when nothing usable does
     */
    private record Phrase(int at, boolean isFinal, String answer) {
        /** Adds the answer and, where the answer is prose ending in "is Y", Y. */
        void addTo(List<Extraction> out) {
            if (answer == null) return;
            add(out, answer, Extraction.ANSWER_PHRASE);
            int is = answer.lastIndexOf(" is ");
            if (is > 0 && isProse(withoutTextGroups(answer))) add(out, clean(answer.substring(is + 4)), Extraction.ANSWER_PHRASE);
        }
    }

    /**
     * {@return the last answer phrase, or null} Only the last phrase counts: "The answer is 5. Let me
     * check … so the answer is 6." answers 6, and a last phrase with nothing usable after it does not
     * fall back to an earlier one. One backward pass over the candidates "answer"; checking a
     * candidate only reads the white space next to it.
     */
    private static Phrase lastPhrase(String s, int from) {
        for (int i = s.length() - "answer".length(); i >= from; i--) {
            if (s.regionMatches(true, i, "answer", 0, 6)) {
                int start = afterAnswerPhrase(s, i);
                if (start >= 0) return new Phrase(i, followsWord(s, i, "final"), phraseAnswer(s, start));
            }
        }
        return null;
    }

    /** {@return the answer after the last answer phrase of {@code s}, or null} (a worked reference solution's answer) */
    static String phraseAnswer(String s) {
        Phrase p = s == null ? null : lastPhrase(s, 0);
        return p == null ? null : p.answer;
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

    // ---------------------------------------------------------------- math spans and the last number

    /**
     * {@return the contents of the last {@value #MAX_SPANS} math spans of {@code s}, the last first}
     * One forward pass: each opening delimiter jumps to its closing one, and an unclosed span ends the
     * scan. An escaped {@code \$} is a dollar sign, not a delimiter; spans longer than
     * {@value #MAX_PHRASE} characters are skipped.
     */
    static List<String> mathSpans(String s) {
        ArrayDeque<String> spans = new ArrayDeque<>(MAX_SPANS + 1);
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int from;
            int to;
            int next;
            if (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '(' || s.charAt(i + 1) == '[')) {
                String close = s.charAt(i + 1) == '(' ? "\\)" : "\\]";
                from = i + 2;
                to = s.indexOf(close, from);
                if (to < 0) break;
                next = to + 2;
            } else if (c == '\\') {
                i += 2; // an escaped character: \$ is a dollar sign
                continue;
            } else if (c == '$') {
                boolean display = i + 1 < n && s.charAt(i + 1) == '$';
                from = i + (display ? 2 : 1);
                to = unescaped(s, display ? "$$" : "$", from);
                if (to < 0) break;
                next = to + (display ? 2 : 1);
            } else {
                i++;
                continue;
            }
            if (to - from <= MAX_PHRASE) {
                String content = s.substring(from, to).strip();
                if (!content.isEmpty()) {
                    spans.addFirst(content);
                    if (spans.size() > MAX_SPANS) spans.removeLast();
                }
            }
            i = next;
        }
        return List.copyOf(spans);
    }

    /** {@return the index of the first {@code delimiter} at or after {@code from} not preceded by a backslash, or -1} */
    private static int unescaped(String s, String delimiter, int from) {
        int at = s.indexOf(delimiter, from);
        while (at > 0 && s.charAt(at - 1) == '\\') at = s.indexOf(delimiter, at + 1);
        return at;
    }

    /**
     * {@return the last number of {@code s} with its sign, thousands separators, decimals and a
     * fraction bar ({@code -1,000.5}, {@code 4/9}, the mixed number {@code 11 6/6} whole), or null}
     * One backward pass.
     */
    static String lastNumber(String s) {
        int end = s.length();
        while (end > 0 && !Character.isDigit(s.charAt(end - 1))) end--;
        if (end == 0) return null;
        int start = end;
        while (start > 0) {
            char c = s.charAt(start - 1);
            if (Character.isDigit(c)) {
                start--;
            } else if ((c == '.' || c == ',' || c == '/') && start >= 2 && Character.isDigit(s.charAt(start - 2))) {
                start--;
            } else {
                break;
            }
        }
        if (s.lastIndexOf('/', end) >= start) { // 11 6/6: a fraction after a whole number is one (mixed) number
            int whole = start - 1;
            while (whole > 0 && s.charAt(whole) == ' ') whole--;
            int digits = whole + 1;
            while (digits > 0 && Character.isDigit(s.charAt(digits - 1))) digits--;
            if (whole < start - 1 && digits <= whole && Character.isDigit(s.charAt(whole))) start = digits;
        }
        if (start > 0 && s.charAt(start - 1) == '-') start--;
        return s.substring(start, end);
    }

    // ---------------------------------------------------------------- clean-up

    /**
     * {@return an answer without what surrounds it in prose: white space, Markdown emphasis
     * ({@code **5**}), trailing periods (never a decimal point: "3.5." gives 3.5), commas and semicolons
     * ("$\\frac13,$"), math delimiters and a
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
            while (b > a && (Character.isWhitespace(s.charAt(b - 1)) || ".*,;".indexOf(s.charAt(b - 1)) >= 0)) {
                if (s.charAt(b - 1) == '.' && b - 2 >= a && s.charAt(b - 2) == '.') break; // "1, 2, 3, ..." goes on
                b--;
            }
            s = s.substring(a, b);
            s = unquoted(s);
            s = stripMathDelimiters(s);
            s = peelBox(s);
        } while (!s.equals(before));
        return s;
    }

    /** {@return {@code s} without quotes around all of it: {@code "…"}, {@code \"…\"}, {@code “…”}} */
    private static String unquoted(String s) {
        for (String[] q : new String[][] {{"\\\"", "\\\""}, {"\"", "\""}, {"\u201c", "\u201d"}}) {
            if (s.length() >= q[0].length() + q[1].length() && s.startsWith(q[0]) && s.endsWith(q[1])) {
                return s.substring(q[0].length(), s.length() - q[1].length()).strip();
            }
        }
        return s;
    }

    /** {@return whether {@code s} is prose rather than an answer: two words in a row outside {@code \text{…}}} */
    static boolean prose(String s) {
        return isProse(withoutTextGroups(s));
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
