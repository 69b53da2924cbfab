package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.verifier.code.internal.Judgement.Status;
import io.rlvr4j.verifier.code.internal.Judgement.TestOutcome;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a code response: {@link ProgramExtractor} finds the program, {@link TestSuite} reads the
 * problem's tests, the sandbox runs them, and the verdict is priced: with {@code ALL}, the correct
 * reward only when every test passes; with {@code FRACTION}, in proportion to the tests passed.
 * A problem with a {@code checker} is judged by it ({@link SpecialJudge}).
 * Details: {@code passed_tests}, {@code total_tests}, {@code status} (of the first failing test),
 * {@code failed_test} (its index), {@code expected}, {@code got}, {@code error}, {@code millis},
 * {@code judge} ({@code checker} for a special judge), and {@code reason} when there is nothing to run.
 */
final class CodeVerifier implements Verifier {

    /** How tests become a score. */
    enum Scoring {
        ALL, FRACTION
    }

    /**
     * The rewards of the verdicts.
     *
     * @param correct every test passed
     * @param wrong none passed (with {@code FRACTION}, partial passes interpolate up to {@code correct})
     * @param noCode no program in the response
     */
    record Rewards(double correct, double wrong, double noCode) {}

    private final ProgramExtractor extractor;
    private final Sandbox sandbox;
    private final OutputMatcher matcher;
    private final Scoring scoring;
    private final Rewards rewards;
    private final Set<String> domains;
    private final Language language;
    private final String prelude;

    /** @param prelude source before the programs of function and call-based tests ("" for none) */
    CodeVerifier(Language language, String prelude, Sandbox sandbox, OutputMatcher matcher, Scoring scoring, Rewards rewards, Set<String> domains) {
        this.language = language;
        this.prelude = prelude;
        this.extractor = ProgramExtractor.forLanguage(language);
        this.sandbox = sandbox;
        this.matcher = matcher;
        this.scoring = scoring;
        this.rewards = rewards;
        this.domains = Set.copyOf(domains);
    }

    @Override
    public boolean supports(String domain) {
        return domains.contains(domain);
    }

    @Override
    public RewardResult score(Problem problem, String response) {
        long t0 = System.nanoTime();
        Map<String, String> details = new LinkedHashMap<>();
        TestSuite suite;
        try {
            suite = TestSuite.of(problem, language, prelude);
        } catch (IllegalArgumentException e) {
            details.put("reason", e.getMessage());
            return result(rewards.wrong(), 0, Outcome.ERROR, details, t0);
        }
        details.put("total_tests", Integer.toString(suite.size()));
        Optional<String> program = extractor.extract(response);
        if (program.isEmpty()) {
            details.put("passed_tests", "0");
            details.put("reason", "no ```" + language.configName() + " code block in the response");
            return result(rewards.noCode(), 0, Outcome.NO_ANSWER, details, t0);
        }
        Judgement j;
        try {
            boolean stop = scoring == Scoring.ALL;
            if (suite instanceof TestSuite.Stdio s && s.checker() != null) {
                details.put("judge", "checker");
                j = SpecialJudge.judge(sandbox, program.get(), s, stop);
            } else {
                j = sandbox.judge(program.get(), suite, matcher, stop);
            }
        } catch (RuntimeException e) {
            details.put("passed_tests", "0");
            details.put("reason", "sandbox failure: " + e);
            return result(rewards.wrong(), 0, Outcome.ERROR, details, t0);
        }
        details.put("passed_tests", Long.toString(j.passed()));
        int failed = j.firstFailure();
        if (failed < 0 && j.tests().size() < j.total()) failed = j.tests().size(); // not run
        if (failed >= 0) {
            details.put("failed_test", Integer.toString(failed));
            if (failed < j.tests().size()) {
                TestOutcome o = j.tests().get(failed);
                details.put("status", o.status().name().toLowerCase(Locale.ROOT));
                if (o.expected() != null) details.put("expected", o.expected());
                if (o.actual() != null) details.put("got", o.actual());
                if (o.error() != null) details.put("error", o.error());
            }
        }
        double fraction = (double) j.passed() / j.total();
        double score = scoring == Scoring.ALL ? (j.allPassed() ? 1 : 0) : fraction;
        double reward = rewards.wrong() + (rewards.correct() - rewards.wrong()) * score;
        Outcome outcome = j.allPassed() ? Outcome.CORRECT : outcomeOf(j, failed);
        return result(reward, score, outcome, details, t0);
    }

    private static Outcome outcomeOf(Judgement j, int failed) {
        if (failed < 0 || failed >= j.tests().size()) return Outcome.WRONG;
        Status s = j.tests().get(failed).status();
        return s == Status.TIMEOUT ? Outcome.TIMEOUT : s == Status.SANDBOX_ERROR ? Outcome.ERROR : Outcome.WRONG;
    }

    private static RewardResult result(double reward, double score, Outcome outcome, Map<String, String> details, long t0) {
        details.put("millis", Long.toString((System.nanoTime() - t0) / 1_000_000));
        return new RewardResult(reward, score, outcome, details);
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
