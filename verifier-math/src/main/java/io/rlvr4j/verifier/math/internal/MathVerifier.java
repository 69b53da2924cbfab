package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a math response by its final answer: {@link FinalAnswerExtractor} finds it,
 * {@link GoldAnswers} reads the reference (a bare answer, a worked solution, or a list of acceptable
 * answers), {@link Equivalence} compares them — the cheap layers inline; the rest for a short slice
 * inline under a cooperative {@link Deadline}, then, if unfinished, from the start on a worker under
 * the hard time limit — and {@link RewardScheme} prices the verdict.
 *
 * <table>
 *   <caption>Verdicts</caption>
 *   <tr><th>case</th><th>outcome</th><th>score</th><th>reward</th></tr>
 *   <tr><td>equivalent to one acceptable answer</td><td>CORRECT</td><td>1</td><td>{@code correct}</td></tr>
 *   <tr><td>another answer</td><td>WRONG</td><td>0</td><td>{@code wrong}</td></tr>
 *   <tr><td>no final answer</td><td>NO_ANSWER</td><td>0</td><td>{@code noAnswer}</td></tr>
 *   <tr><td>several answers where the reference has one ({@code 40, 41, 42}, {@code A or B},
 *       different boxes)</td><td>NO_ANSWER</td><td>0</td><td>{@code noAnswer}</td></tr>
 *   <tr><td>the required format broken</td><td>NO_ANSWER</td><td>0</td><td>{@code formatError}</td></tr>
 *   <tr><td>comparison over the time limit</td><td>TIMEOUT</td><td>0</td><td>{@code wrong}</td></tr>
 *   <tr><td>no usable reference answer, or an internal failure</td><td>ERROR</td><td>0</td><td>{@code wrong}</td></tr>
 * </table>
 * Details hold {@code extracted} and {@code expected} (the reference answers as read, joined by
 * {@code " | "}: a worked solution's box, not the solution; at most {@value #SHOWN} characters each),
 * {@code rule} (how the answer was found), {@code layer} (which layer decided), {@code micros}
 * (time taken) and, when there is one, {@code reason}.
 *
 * <p>Thread-safe; {@link #score} never throws.
 */
final class MathVerifier implements Verifier {

    /** The most characters of an answer copied into details. */
    static final int SHOWN = 200;
    /** Longer extracted answers are judged wrong without comparison: no reference answer is that long. */
    static final int MAX_ANSWER = 5_000;

    private final FinalAnswerExtractor extractor;
    private final double tolerance;
    private final Equivalence equivalence;
    private final RewardScheme scheme;
    private final Set<String> domains;
    private final Duration timeLimit;
    private final Duration inlineSlice;
    private final TimeLimiter limiter;

    MathVerifier(FinalAnswerExtractor extractor, double tolerance, RewardScheme scheme, Set<String> domains, Duration timeLimit,
                 Duration inlineSlice, TimeLimiter limiter) {
        this.extractor = extractor;
        this.tolerance = tolerance;
        this.equivalence = new Equivalence(tolerance);
        this.scheme = scheme;
        this.domains = Set.copyOf(domains);
        this.timeLimit = timeLimit;
        this.inlineSlice = inlineSlice;
        this.limiter = limiter;
    }

    @Override
    public boolean supports(String domain) {
        return domains.contains(domain);
    }

    @Override
    public RewardResult score(Problem problem, String response) {
        long t0 = System.nanoTime();
        Map<String, String> details = new LinkedHashMap<>();
        String expected = problem.answer() == null ? "" : problem.answer();
        details.put("extracted", "");
        details.put("expected", shorten(expected));
        try {
            List<String> golds = golds(problem);
            if (!golds.isEmpty()) details.put("expected", shorten(String.join(" | ", golds))); // as read: a worked solution's box
            String text = response == null ? "" : response;
            if (scheme.format() == RewardScheme.Format.THINK) {
                Optional<String> after = afterThinking(text);
                if (after.isEmpty()) {
                    return verdict(Outcome.NO_ANSWER, scheme.formatError(), details, t0,
                            "format: expected one <think>…</think> block at the start, then the answer");
                }
                text = after.get();
            }
            List<FinalAnswerExtractor.Extraction> candidates = extractor.candidates(text);
            if (candidates.isEmpty()) return verdict(Outcome.NO_ANSWER, scheme.noAnswer(), details, t0, "no final answer found");
            Equivalence equivalence = equivalenceFor(problem);
            FinalAnswerExtractor.Extraction found = chosen(candidates, equivalence);
            String answer = found.answer();
            details.put("extracted", shorten(answer));
            details.put("rule", found.rule());
            if (golds.isEmpty()) {
                return verdict(Outcome.ERROR, scheme.wrong(), details, t0, "problem " + problem.id()
                        + " has no reference answer; give each math problem an \"answer\"");
            }
            if (answer.length() > MAX_ANSWER) {
                return verdict(Outcome.WRONG, scheme.wrong(), details, t0, "answer longer than " + MAX_ANSWER + " characters");
            }
            String lastLayer = "string";
            String lastReason = null;
            boolean hedged = true;
            for (String gold : golds) {
                Equivalence.Verdict v = equivalence.quick(gold, answer)
                        .or(() -> inlineSlice.isZero() ? Optional.empty()
                                : Deadline.attempt(inlineSlice, () -> equivalence.beyondQuick(gold, answer)))
                        .or(() -> limiter.call(() -> Deadline.attempt(timeLimit, () -> equivalence.beyondQuick(gold, answer)),
                                timeLimit).flatMap(verdict -> verdict))
                        .orElse(null);
                if (v == null) {
                    details.put("layer", "timeout");
                    return verdict(Outcome.TIMEOUT, scheme.wrong(), details, t0,
                            "comparison took longer than " + timeLimit.toMillis() + " ms");
                }
                lastLayer = v.layer();
                lastReason = v.reason();
                hedged &= v.hedged();
                if (v.equal()) {
                    details.put("layer", v.layer());
                    return verdict(Outcome.CORRECT, scheme.correct(), details, t0, null);
                }
            }
            details.put("layer", lastLayer);
            // several answers to a question with one ("40, 41, 42", "A or B", different boxes) answer nothing
            if (hedged) return verdict(Outcome.NO_ANSWER, scheme.noAnswer(), details, t0, lastReason);
            return verdict(Outcome.WRONG, scheme.wrong(), details, t0, lastReason);
        } catch (RuntimeException | StackOverflowError | LinkageError e) { // a bug must not end a training run
            return verdict(Outcome.ERROR, scheme.wrong(), details, t0, "verifier failure: " + e);
        }
    }

    /**
     * {@return the first candidate the comparison can read, or the first} Only one answer is ever
     * compared; parsing is needed only when the response offers more than one candidate.
     */
    private static FinalAnswerExtractor.Extraction chosen(List<FinalAnswerExtractor.Extraction> candidates, Equivalence equivalence) {
        if (candidates.size() > 1) {
            for (FinalAnswerExtractor.Extraction c : candidates) {
                // prose parses as a product of one-letter variables: "The largest $n$ is 34" is not read, its 34 is
                if (c.answer().length() <= LatexParser.MAX_LENGTH && !FinalAnswerExtractor.prose(c.answer())
                        && equivalence.understood(c.answer())) {
                    return c;
                }
            }
        }
        return candidates.getFirst();
    }

    /** {@return the comparison with the problem's own {@code metadata.tolerance} (relative), if it sets one} */
    private Equivalence equivalenceFor(Problem problem) {
        Object t = problem.metadata().get("tolerance");
        double value;
        if (t instanceof Number n) value = n.doubleValue();
        else if (t instanceof String str && !str.isBlank()) value = Double.parseDouble(str.strip());
        else return equivalence;
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException("problem " + problem.id() + ": metadata.tolerance must be in [0, 1), got " + t);
        return value == tolerance ? equivalence : new Equivalence(value);
    }

    /** The acceptable answers: the reference answer read by {@link GoldAnswers}, plus {@code metadata.answers} if it is a list. */
    private static List<String> golds(Problem problem) {
        List<String> out = new ArrayList<>(problem.answer() == null ? List.of() : GoldAnswers.parse(problem.answer()));
        if (problem.metadata().get("answers") instanceof List<?> more) {
            for (Object o : more) {
                if (o != null) out.addAll(GoldAnswers.parse(o.toString()));
            }
        }
        return out;
    }

    /** {@return the text after a single leading {@code <think>…</think>} block}, or empty if the format is broken */
    static Optional<String> afterThinking(String response) {
        String r = response.stripLeading();
        if (!r.startsWith("<think>")) return Optional.empty();
        int close = r.indexOf("</think>");
        if (close < 0 || r.indexOf("<think>", 1) >= 0 || r.indexOf("</think>", close + 1) >= 0) return Optional.empty();
        return Optional.of(r.substring(close + "</think>".length()));
    }

    private static RewardResult verdict(Outcome outcome, double reward, Map<String, String> details, long t0, String reason) {
        if (reason != null) details.put("reason", reason);
        details.put("micros", Long.toString((System.nanoTime() - t0) / 1000));
        return new RewardResult(reward, outcome == Outcome.CORRECT ? 1 : 0, outcome, details);
    }

    static String shorten(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "… (" + s.length() + " chars)";
    }
}
