package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.RewardResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** maj@n as DeepSeek-R1's cons@n: the most frequent answer of each problem's n samples, judged. */
class EvaluatorTest {

    private static RewardResult said(String answer, boolean correct) {
        return new RewardResult(correct ? 1 : 0, correct ? 1 : 0, correct ? RewardResult.Outcome.CORRECT : RewardResult.Outcome.WRONG,
                answer == null ? Map.of() : Map.of("extracted", answer));
    }

    @Test
    void theMostFrequentAnswerDecidesEachProblem() {
        List<RewardResult> r = new ArrayList<>();
        // problem 1: right once, wrong twice the same way -> the majority is wrong
        r.addAll(List.of(said("7", true), said("8", false), said("8", false)));
        // problem 2: right twice (written with and without spaces) -> right
        r.addAll(List.of(said("x + 1", true), said("5", false), said("x+1", true)));
        // problem 3: only one sample answered, and rightly; the others have no answer and do not vote
        r.addAll(List.of(said(null, false), said("", false), said("3", true)));
        // problem 4: nobody answered -> wrong
        r.addAll(List.of(said(null, false), said(null, false), said(null, false)));
        assertThat(Evaluator.majorityAccuracy(r, 3)).isEqualTo(2 / 4.0);
    }

    @Test
    void aTieGoesToTheAnswerGivenFirst() {
        assertThat(Evaluator.majorityAccuracy(List.of(said("1", true), said("2", false)), 2)).isEqualTo(1.0);
        assertThat(Evaluator.majorityAccuracy(List.of(said("2", false), said("1", true)), 2)).isEqualTo(0.0);
    }

    @Test
    void withoutAnswersFromTheVerifierThereIsNoMajority() {
        assertThat(Evaluator.majorityAccuracy(List.of(said(null, true), said(null, false)), 2)).isNaN();
    }
}
