package com.example.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountdownTest {

    private final Verifier verifier = new CountdownReward().create(Settings.of(Map.of()));
    private final Problem problem = new Problem("c1", "countdown", "Use 4, 6 and 8 once each with + - * / to make 3.", List.of(), "3",
            Map.of("numbers", List.of(4, 6, 8), "target", 3L));

    private RewardResult score(String response) {
        return verifier.score(problem, response);
    }

    @Test
    void anEquationUsingEachNumberOnceThatReachesTheTargetIsCorrect() {
        assertThat(score("\\boxed{6*4/8}").correct()).isTrue();
        assertThat(score("\\boxed{ 6 × 4 ÷ 8 }").correct()).isTrue();
        assertThat(score("6*4 = 24, 24/8 = 3: \\boxed{6*4/8 = 3}").correct()).as("a trailing = target is allowed").isTrue();
        assertThat(score("\\boxed{4+8+6} no: \\boxed{(6*4)/8}").correct()).as("the last box counts").isTrue();
        assertThat(score("\\boxed{(6*4)/8} no: \\boxed{4+8+6}").correct()).isFalse();
        assertThat(score("\\boxed{8-6+4/4}").details()).containsEntry("reason", "uses [8, 6, 4, 4], not each of [4, 6, 8] once");
        assertThat(score("\\boxed{(8+4)/6+1}").details()).containsEntry("reason", "uses [8, 4, 6, 1], not each of [4, 6, 8] once");
        assertThat(score("\\boxed{8/6*4}").details()).containsEntry("reason", "equals 16/3, not 3");
    }

    @Test
    void rewardsFollowTinyZerosScheme() {
        assertThat(score("\\boxed{4/8*6}").reward()).isEqualTo(1.0); // exactly 3: fractions, not floats
        assertThat(score("\\boxed{4/8*6}").correct()).isTrue();
        assertThat(score("\\boxed{4+8+6}").reward()).isEqualTo(0.1);
        assertThat(score("\\boxed{4+8+6}").details()).containsEntry("reason", "equals 18, not 3");
        Problem twos = new Problem("c2", "countdown", "Use 2, 2 and 5 once each with + - * / to make 1.", List.of(), "1",
                Map.of("numbers", List.of(2, 2, 5), "target", 1));
        assertThat(verifier.score(twos, "\\boxed{5/(2-2)}").details()).containsEntry("reason", "divides by zero");
        assertThat(verifier.score(twos, "\\boxed{5/(2-2)}").reward()).isEqualTo(0.1);
        assertThat(score("\\boxed{-4+6+8}").details()).containsEntry("reason", "not an equation of integers, + - * / and parentheses");
        assertThat(score("the answer is 3").outcome()).isEqualTo(RewardResult.Outcome.NO_ANSWER);
        assertThat(score("the answer is 3").reward()).isEqualTo(0.0);
        Verifier custom = new CountdownReward().create(Settings.of(Map.of("correct_reward", 2, "format_reward", 0, "no_answer_reward", -1)));
        assertThat(custom.score(problem, "\\boxed{6*4/8}").reward()).isEqualTo(2.0);
        assertThat(custom.score(problem, "nothing").reward()).isEqualTo(-1.0);
    }

    @Test
    void everyGeneratedProblemIsSolvedByItsOwnSolution() {
        try (ProblemStream s = new CountdownProblems().open(Settings.of(Map.of("seed", 3, "count", 4)))) {
            for (Problem p : s.next(300)) {
                RewardResult r = verifier.score(p, (String) p.metadata().get("solution"));
                assertThat(r.correct()).as("%s: %s %s", p.id(), p.metadata(), r.details()).isTrue();
                assertThat(((Number) p.metadata().get("target")).longValue()).isBetween(1L, 100L);
                assertThat(p.prompt()).contains(" to make " + p.answer());
            }
        }
    }
}
