package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.VerifierContract;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MathVerifierTest {

    private static final Problem SEVENTY_TWO = Problem.of("gsm-1", "math", "How many clips?", "72");

    private static Verifier verifier(Map<String, ?> settings) {
        return new MathRewardFunction().create(Settings.of(settings));
    }

    @Test
    void theDefaultSchemeIsOneForCorrectAndZeroOtherwise() {
        Verifier v = verifier(Map.of());
        assertThat(v.score(SEVENTY_TWO, "\\boxed{72}").reward()).isEqualTo(1.0);
        assertThat(v.score(SEVENTY_TWO, "\\boxed{71}").reward()).isEqualTo(0.0);
        assertThat(v.score(SEVENTY_TWO, "I counted them all and got 72 in the end").reward()).isEqualTo(0.0);
        assertThat(v.score(SEVENTY_TWO, "72").reward()).as("a bare answer").isEqualTo(1.0);
    }

    @Test
    void simpleRlZerosSchemePunishesMissingAnswersHardest() {
        Verifier v = verifier(Map.of("correct_reward", 1, "wrong_reward", -0.5, "no_answer_reward", -1));
        RewardResult correct = v.score(SEVENTY_TWO, "48 + 24 = \\boxed{72}");
        RewardResult wrong = v.score(SEVENTY_TWO, "\\boxed{70}");
        RewardResult none = v.score(SEVENTY_TWO, "it is 72");
        assertThat(correct.reward()).isEqualTo(1.0);
        assertThat(correct.score()).isEqualTo(1.0);
        assertThat(correct.outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(wrong.reward()).isEqualTo(-0.5);
        assertThat(wrong.score()).isZero();
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(none.reward()).isEqualTo(-1.0);
        assertThat(none.score()).isZero();
        assertThat(none.outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(RewardScheme.simpleRl()).isEqualTo(new RewardScheme(1, -0.5, -1, RewardScheme.Format.NONE, -1));
    }

    @Test
    void detailsNameTheExtractedAndExpectedAnswers() {
        Verifier v = verifier(Map.of());
        assertThat(v.score(SEVENTY_TWO, "\\boxed{70}").details()).containsEntry("extracted", "70").containsEntry("expected", "72");
        assertThat(v.score(SEVENTY_TWO, "no idea").details()).containsEntry("extracted", "").containsEntry("expected", "72")
                .containsKey("reason");
    }

    @Test
    void longExtractedAnswersAreShortenedInDetails() {
        String answer = "1".repeat(MathVerifier.SHOWN + 50);
        String shown = verifier(Map.of()).score(SEVENTY_TWO, "\\boxed{" + answer + "}").details().get("extracted");
        assertThat(shown).startsWith("1".repeat(MathVerifier.SHOWN)).endsWith("(" + answer.length() + " chars)");
    }

    @Test
    void aProblemWithoutReferenceAnswerIsAnError() {
        Verifier v = verifier(Map.of("wrong_reward", -0.5));
        RewardResult r = v.score(Problem.of("open-1", "math", "Prove it.", null), "\\boxed{QED}");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.reward()).isEqualTo(-0.5);
        assertThat(r.score()).isZero();
        assertThat(r.details()).containsEntry("extracted", "QED").containsEntry("expected", "")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("open-1", "no reference answer"));
    }

    @Test
    void boxingSeveralAnswersIsNoAnswerUnlessTheReferenceHasAsMany() {
        Verifier v = verifier(Map.of("scheme", "simplerl"));
        for (String hedge : List.of("\\boxed{72} \\boxed{71}", "\\boxed{71} \\boxed{72}", "\\boxed{70}, \\boxed{71}, \\boxed{72}",
                "\\boxed{71} or \\boxed{72}", "\\boxed{71 \\text{ or } 72}", "The answer is 71 or 72.")) {
            RewardResult r = v.score(SEVENTY_TWO, hedge);
            assertThat(r.outcome()).as(hedge).isEqualTo(Outcome.NO_ANSWER);
            assertThat(r.reward()).as(hedge).isEqualTo(-1.0);
            assertThat(r.details().get("reason")).as(hedge).contains("several answers");
        }
        assertThat(v.score(SEVENTY_TWO, "\\boxed{72} or \\boxed{72}").outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(v.score(SEVENTY_TWO, "\\boxed{72} \\boxed{7").outcome()).isEqualTo(Outcome.NO_ANSWER);
        // boxes far apart: an intermediate result, then the answer
        assertThat(v.score(SEVENTY_TWO, "First \\boxed{36}. Doubling it, as the problem asks, gives the answer: \\boxed{72}").outcome())
                .isEqualTo(Outcome.CORRECT);
        Problem two = Problem.of("roots", "math", "Solve n^2+n-2=0.", "n = 1, -2");
        assertThat(v.score(two, "$n = \\boxed{-2}$ \\quad \\text{and} \\quad $\\boxed{1}$").outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(v.score(two, "\\boxed{-2} and \\boxed{3}").outcome()).isEqualTo(Outcome.WRONG);
        Problem choice = Problem.of("c", "math", "Which?", "B");
        assertThat(v.score(choice, "\\boxed{A} or \\boxed{B}").outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(v.score(choice, "\\boxed{(B) or (C)}").outcome()).isEqualTo(Outcome.NO_ANSWER);
    }

    @Test
    void theExpectedAnswerIsShownAsRead() {
        Verifier v = verifier(Map.of());
        Problem minerva = Problem.of("m", "math", "?", "Working… so the answer is $\\boxed{3.5}$.");
        assertThat(v.score(minerva, "\\boxed{3.5}").details()).containsEntry("expected", "3.5");
        Problem two = new Problem("t", "math", "?", List.of(), "[\"1/2\", \"0.5\"]", Map.of());
        assertThat(v.score(two, "\\boxed{0.5}").details()).containsEntry("expected", "1/2 | 0.5");
    }

    @Test
    void numbersCompareWithinOneMillionthUnlessTheProblemSaysOtherwise() {
        Verifier v = verifier(Map.of());
        Problem two = Problem.of("t", "math", "?", "2");
        assertThat(v.score(two, "\\boxed{2.0001}").outcome()).isEqualTo(Outcome.WRONG);
        assertThat(v.score(two, "\\boxed{2.000001}").outcome()).isEqualTo(Outcome.CORRECT);
        Problem loose = new Problem("l", "math", "?", List.of(), "2", Map.of("tolerance", 1e-3));
        assertThat(v.score(loose, "\\boxed{2.0001}").outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(verifier(Map.of("tolerance", 1e-3)).score(two, "\\boxed{2.0001}").outcome()).isEqualTo(Outcome.CORRECT);
    }

    @Test
    void anUnreadableCandidateDoesNotHideALaterOne() {
        Verifier v = verifier(Map.of());
        Problem p = Problem.of("p", "math", "?", "42");
        RewardResult r = v.score(p, "Final answer is $\\sum_{k=0}^n\\bigl(k\\bigr)$. I hope. $42$");
        assertThat(r.outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(r.details()).containsEntry("rule", "math_span");
        assertThat(v.score(p, "Final Answer: The largest $n$ is 42.").outcome()).isEqualTo(Outcome.CORRECT);
        assertThat(v.score(p, "the number is 42").outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(verifier(Map.of("extract", List.of("boxed", "last_number"))).score(p, "the number is 42").outcome())
                .isEqualTo(Outcome.CORRECT);
    }

    @Test
    void numericallyEqualAnswersAreCorrect() {
        Verifier v = verifier(Map.of());
        Problem half = Problem.of("h", "math", "1/2?", "\\frac{1}{2}");
        for (String r : List.of("\\boxed{0.5}", "\\boxed{1/2}", "\\boxed{\\dfrac{1}{2}}", "\\boxed{$\\frac12$}", "\\boxed{0.50}.")) {
            assertThat(v.score(half, r).correct()).as(r).isTrue();
        }
        assertThat(v.score(Problem.of("k", "math", "?", "1,000"), "\\boxed{1000}").correct()).isTrue();
    }

    @Test
    void answersLongerThanTheLimitAreWrongWithoutComparison() {
        String huge = "7".repeat(MathVerifier.MAX_ANSWER + 1);
        Problem p = Problem.of("h", "math", "?", huge);
        assertThat(verifier(Map.of()).score(p, "\\boxed{" + huge + "}").outcome()).isEqualTo(Outcome.WRONG);
    }

    @Test
    void supportsTheConfiguredDomains() {
        assertThat(verifier(Map.of()).supports("math")).isTrue();
        assertThat(verifier(Map.of()).supports("code")).isFalse();
        Verifier both = verifier(Map.of("domains", List.of("math", "arithmetic")));
        assertThat(both.supports("arithmetic")).isTrue();
        assertThat(both.supports("math")).isTrue();
        assertThat(verifier(Map.of("domains", "aime")).supports("aime")).isTrue();
    }

    @Test
    void parallelScoringEqualsSequentialScoring() throws Exception {
        Verifier v = verifier(Map.of("wrong_reward", -0.5, "no_answer_reward", -1));
        SplittableRandom rnd = new SplittableRandom(1);
        List<Problem> problems = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int a = rnd.nextInt(100);
            problems.add(Problem.of("p" + i, "math", "?", i % 3 == 0 ? "\\frac{" + a + "}{4}" : Integer.toString(a)));
            responses.add(switch (rnd.nextInt(4)) {
                case 0 -> "\\boxed{" + a + "}";
                case 1 -> "\\boxed{" + a / 4.0 + "}";
                case 2 -> "\\boxed{" + (a + 1);
                default -> "I think " + a;
            });
        }
        List<RewardResult> sequential = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) sequential.add(v.score(problems.get(i), responses.get(i)));
        List<Future<RewardResult>> parallel = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < problems.size(); i++) {
                int k = i;
                parallel.add(pool.submit(() -> v.score(problems.get(k), responses.get(k))));
            }
        }
        for (int i = 0; i < problems.size(); i++) {
            assertThat(VerifierContract.timeless(parallel.get(i).get())).isEqualTo(VerifierContract.timeless(sequential.get(i)));
        }
        assertThat(sequential).extracting(RewardResult::outcome).contains(Outcome.CORRECT, Outcome.WRONG, Outcome.NO_ANSWER);
    }

    @Test
    void settingsErrorsNameKeyValueAndRule() {
        Settings bad = new Settings("rewards.0", Map.of("wrong_reward", "minus one"), Path.of(""), key -> "run.yaml:20");
        assertThatThrownBy(() -> new MathRewardFunction().create(bad)).isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:20: rewards.0.wrong_reward = \"minus one\" — expected a number");
        assertThatThrownBy(() -> verifier(Map.of("correct_reward", 0, "wrong_reward", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContainingAll("correct_reward = 0", "greater than wrong_reward");
        assertThatThrownBy(() -> verifier(Map.of("domains", List.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least one");
    }

    @Test
    void everySettingIsRead() {
        Settings s = Settings.of(Map.of("correct_reward", 1, "wrong_reward", -0.5, "no_answer_reward", -1, "domains", List.of("math")));
        new MathRewardFunction().create(s);
        s.rejectUnknown();
    }

    @Test
    void theModuleProvidesTheRewardFunction() {
        ModuleDescriptor module = MathRewardFunction.class.getModule().getDescriptor();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(io.rlvr4j.api.RewardFunction.class.getName());
            assertThat(p.providers()).containsExactly(MathRewardFunction.class.getName());
        });
        assertThat(new MathRewardFunction().name()).isEqualTo("math");
    }
}
