package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a math response by its final answer: {@link AnswerExtractor} finds it, {@link AnswerComparator}
 * compares it with {@link Problem#answer()}, {@link RewardScheme} prices the verdict.
 *
 * <table>
 *   <caption>Verdicts</caption>
 *   <tr><th>case</th><th>outcome</th><th>score</th><th>reward</th></tr>
 *   <tr><td>equivalent answer</td><td>CORRECT</td><td>1</td><td>{@code correct}</td></tr>
 *   <tr><td>another answer</td><td>WRONG</td><td>0</td><td>{@code wrong}</td></tr>
 *   <tr><td>no closed box</td><td>NO_ANSWER</td><td>0</td><td>{@code noAnswer}</td></tr>
 *   <tr><td>problem without reference answer, or an internal failure</td><td>ERROR</td><td>0</td><td>{@code wrong}</td></tr>
 * </table>
 * Details always hold {@code extracted} (empty if none; at most {@value #SHOWN} characters) and
 * {@code expected}; {@code reason} explains NO_ANSWER and ERROR.
 *
 * <p>Immutable and thread-safe; {@link #score} never throws.
 */
final class MathVerifier implements Verifier {

    /** The most characters of an answer copied into details. */
    static final int SHOWN = 200;
    /** Longer extracted answers are judged wrong without comparison: no reference answer is that long. */
    static final int MAX_ANSWER = 10_000;

    private final AnswerExtractor extractor;
    private final AnswerComparator comparator;
    private final RewardScheme scheme;
    private final Set<String> domains;

    MathVerifier(AnswerExtractor extractor, AnswerComparator comparator, RewardScheme scheme, Set<String> domains) {
        this.extractor = extractor;
        this.comparator = comparator;
        this.scheme = scheme;
        this.domains = Set.copyOf(domains);
    }

    @Override
    public boolean supports(String domain) {
        return domains.contains(domain);
    }

    @Override
    public RewardResult score(Problem problem, String response) {
        String expected = problem.answer() == null ? "" : problem.answer();
        String extracted = "";
        try {
            Optional<String> answer = extractor.extract(response);
            extracted = answer.orElse("");
            if (problem.answer() == null) {
                return verdict(Outcome.ERROR, scheme.wrong(), extracted, expected,
                        "problem " + problem.id() + " has no reference answer; give each math problem an \"answer\"");
            }
            if (answer.isEmpty()) {
                return verdict(Outcome.NO_ANSWER, scheme.noAnswer(), extracted, expected, "no closed \\boxed{...} answer");
            }
            boolean same = extracted.length() <= MAX_ANSWER && comparator.equivalent(extracted, problem.answer());
            return same ? verdict(Outcome.CORRECT, scheme.correct(), extracted, expected, null)
                    : verdict(Outcome.WRONG, scheme.wrong(), extracted, expected, null);
        } catch (RuntimeException e) {
            return verdict(Outcome.ERROR, scheme.wrong(), extracted, expected, "verifier failure: " + e);
        }
    }

    private static RewardResult verdict(Outcome outcome, double reward, String extracted, String expected, String reason) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("extracted", shorten(extracted));
        details.put("expected", shorten(expected));
        if (reason != null) details.put("reason", reason);
        return new RewardResult(reward, outcome == Outcome.CORRECT ? 1 : 0, outcome, details);
    }

    private static String shorten(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "… (" + s.length() + " chars)";
    }
}
