package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.VerifierContract;
import java.util.Map;

class MathVerifierContractTest extends VerifierContract {

    @Override
    protected Verifier verifier() {
        return new MathRewardFunction().create(Settings.of(Map.of("correct_reward", 1, "wrong_reward", -0.5, "no_answer_reward", -1)));
    }

    @Override
    protected Problem supportedProblem() {
        return Problem.of("p1", "math", "What is 1/2 + 1/4?", "\\frac{3}{4}");
    }

    @Override
    protected String correctResponse() {
        return "1/2 + 1/4 = 2/4 + 1/4 = 3/4, so the answer is \\boxed{0.75}.";
    }

    @Override
    protected String wrongResponse() {
        return "1/2 + 1/4 = 2/6 = \\boxed{\\frac{1}{3}}";
    }
}
