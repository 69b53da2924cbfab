package io.rlvr4j.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Verifier}, which every {@link io.rlvr4j.api.RewardFunction} plugin runs by
 * extending this class and supplying a verifier, a problem it supports and two responses:
 * <pre>{@code
 * class MathVerifierContractTest extends VerifierContract {
 *     protected Verifier verifier() { return new MathRewardFunction().create(Settings.empty()); }
 *     protected Problem supportedProblem() { return Problem.of("p1", "math", "1+1=", "2"); }
 *     protected String correctResponse() { return "1+1=2 \\boxed{2}"; }
 *     protected String wrongResponse() { return "\\boxed{3}"; }
 * }
 * }</pre>
 *
 * <p>It checks what the loop relies on: scoring never throws, however malformed the response (empty,
 * huge, unbalanced braces, odd Unicode, NUL bytes); the score lies in [0, 1]; verdicts are
 * deterministic (timing details aside) and the same when scored in parallel; a correct response scores 1 and a wrong one
 * less; the verifier supports the domain of its problem.
 *
 * <p>Shipped in the {@code rlvr4j-api} test-jar.
 */
public abstract class VerifierContract {

    private Verifier verifier;

    /** {@return a fresh verifier; the contract closes it after each test} */
    protected abstract Verifier verifier();

    /** {@return a problem the verifier supports, with what it needs to judge (answer, tests …)} */
    protected abstract Problem supportedProblem();

    /** {@return a response to {@link #supportedProblem()} that is fully correct} */
    protected abstract String correctResponse();

    /** {@return a response to {@link #supportedProblem()} that is wrong} */
    protected abstract String wrongResponse();

    /**
     * {@return malformed responses that must be judged without an exception and never as correct}.
     * Override to add domain-specific junk (keep the defaults with {@code super.junkResponses()}).
     */
    protected List<String> junkResponses() {
        return List.of(
                "",
                " \n\t ",
                "\u0000\u0000\u0000",
                "answer:\u0000}",
                "}}}}{{{{",
                "{".repeat(200_000),
                "}".repeat(200_000),
                "\\boxed{",
                "\\boxed}",
                "\\boxed{\\boxed{\\boxed{",
                "\\boxed{".repeat(50_000),
                "\\".repeat(100_001),
                "\\boxed{}",
                "\\boxed{\\frac{1}{0}}",
                "\\boxed{1/0}",
                "\\boxed{NaN}",
                "\\boxed{-Infinity}",
                "\\boxed{" + "9".repeat(100_000) + "}",
                "\\boxed{1e999999999}",
                "\\boxed{0." + "0".repeat(50_000) + "}",
                "x".repeat(1 << 20),
                "答案 🤖 \u202eevil\u202c \uD800 lone surrogate \uDFFF",
                "$$\\boxed{\\text{\u00e9\u0301}}$$",
                "```python\nwhile True: pass\n```",
                "null");
    }

    /** {@return how long the verifier may take for all of {@link #junkResponses()} together} */
    protected Duration junkTimeLimit() {
        return Duration.ofSeconds(30);
    }

    @BeforeEach
    final void openVerifier() {
        verifier = verifier();
    }

    @AfterEach
    final void closeVerifier() {
        verifier.close();
    }

    @Test
    void supportsTheDomainOfItsProblem() {
        assertThat(verifier.supports(supportedProblem().domain())).isTrue();
    }

    @Test
    void scoresACorrectResponseAsOne() {
        RewardResult r = verifier.score(supportedProblem(), correctResponse());
        assertThat(r.score()).as("score of the correct response (%s)", r).isEqualTo(1.0);
        assertThat(r.correct()).isTrue();
        assertThat(r.outcome()).isEqualTo(RewardResult.Outcome.CORRECT);
    }

    @Test
    void scoresAWrongResponseBelowOne() {
        RewardResult r = verifier.score(supportedProblem(), wrongResponse());
        assertThat(r.score()).as("score of the wrong response (%s)", r).isLessThan(1.0);
        assertThat(r.correct()).isFalse();
        assertThat(r.outcome()).isNotEqualTo(RewardResult.Outcome.CORRECT);
    }

    @Test
    void rewardsACorrectResponseAboveAWrongOne() {
        double correct = verifier.score(supportedProblem(), correctResponse()).reward();
        double wrong = verifier.score(supportedProblem(), wrongResponse()).reward();
        assertThat(correct).isGreaterThan(wrong);
    }

    @Test
    void neverThrowsOnJunkResponses() {
        Problem p = supportedProblem();
        assertTimeout(junkTimeLimit(), () -> {
            for (String junk : junkResponses()) {
                String shown = junk.length() > 40 ? junk.substring(0, 40) + "… (" + junk.length() + " chars)" : junk;
                assertThatCode(() -> {
                    RewardResult r = verifier.score(p, junk);
                    assertThat(r).as("verdict on %s", shown).isNotNull();
                    assertThat(r.score()).as("score on %s", shown).isBetween(0.0, 1.0);
                    assertThat(Double.isFinite(r.reward())).as("finite reward on %s", shown).isTrue();
                }).as("scoring %s", shown).doesNotThrowAnyException();
            }
        });
    }

    @Test
    void neverJudgesJunkCorrect() {
        Problem p = supportedProblem();
        for (String junk : junkResponses()) {
            assertThat(verifier.score(p, junk).correct()).as("junk of %d chars judged correct", junk.length()).isFalse();
        }
    }

    @Test
    void scoresDeterministically() {
        Problem p = supportedProblem();
        for (String response : responses()) {
            RewardResult first = verifier.score(p, response);
            RewardResult second = verifier.score(p, response);
            assertThat(timeless(second)).as("second verdict on a response of %d chars", response.length()).isEqualTo(timeless(first));
        }
    }

    @Test
    void scoresInParallelAsInSequence() throws Exception {
        Problem p = supportedProblem();
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(correctResponse());
            responses.add(wrongResponse());
            responses.add("");
        }
        List<RewardResult> sequential = responses.stream().map(r -> verifier.score(p, r)).toList();
        List<Future<RewardResult>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (String r : responses) futures.add(pool.submit(() -> verifier.score(p, r)));
        }
        for (int i = 0; i < responses.size(); i++) {
            assertThat(timeless(futures.get(i).get())).isEqualTo(timeless(sequential.get(i)));
        }
    }

    @Test
    void scoreAsyncAgreesWithScore() throws Exception {
        Problem p = supportedProblem();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            RewardResult async = verifier.scoreAsync(p, correctResponse(), pool).get();
            assertThat(timeless(async)).isEqualTo(timeless(verifier.score(p, correctResponse())));
        }
    }

    /** Timing details ({@code micros}, {@code millis}, {@code *_micros}, {@code *_ms}) may differ between two identical verdicts. */
    public static RewardResult timeless(RewardResult r) {
        java.util.Map<String, String> details = new java.util.LinkedHashMap<>(r.details());
        details.keySet().removeIf(k -> k.equals("micros") || k.equals("millis") || k.endsWith("_micros") || k.endsWith("_ms"));
        return new RewardResult(r.reward(), r.score(), r.outcome(), details);
    }

    private List<String> responses() {
        List<String> all = new ArrayList<>(List.of(correctResponse(), wrongResponse()));
        all.addAll(junkResponses());
        return all;
    }
}
