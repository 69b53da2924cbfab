package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code math} reward function: the last {@code \boxed{…}} of a response against the problem's
 * reference answer (see {@link MathVerifier}, {@link BoxedAnswerExtractor}, {@link NumericAnswerComparator}).
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code correct_reward} (1.0), {@code wrong_reward} (0.0), {@code no_answer_reward} (0.0): the
 *       {@linkplain RewardScheme reward scheme}. SimpleRL-Zero's is
 *       {@code {correct_reward: 1, wrong_reward: -0.5, no_answer_reward: -1}}. {@code correct_reward}
 *       must exceed the other two.
 *   <li>{@code domains} ({@code [math]}): the problem domains this verifier judges.
 * </ul>
 */
public final class MathRewardFunction implements RewardFunction {

    @Override
    public String name() {
        return "math";
    }

    @Override
    public String description() {
        return "math final answers: last \\boxed{} vs the reference, exact or numeric (integers, decimals, fractions)";
    }

    @Override
    public Verifier create(Settings settings) {
        RewardScheme defaults = RewardScheme.binary();
        double correct = finite(settings, "correct_reward", defaults.correct());
        double wrong = finite(settings, "wrong_reward", defaults.wrong());
        double noAnswer = finite(settings, "no_answer_reward", defaults.noAnswer());
        if (!(correct > wrong && correct > noAnswer)) {
            throw settings.invalid("correct_reward", "must be greater than wrong_reward (" + wrong + ") and no_answer_reward ("
                    + noAnswer + "), or training would move away from correct answers");
        }
        List<String> domainList = settings.strings("domains", List.of("math"));
        if (domainList.isEmpty() || domainList.stream().anyMatch(String::isBlank)) {
            throw settings.invalid("domains", "must list at least one non-blank domain, e.g. [math]");
        }
        Set<String> domains = new LinkedHashSet<>(domainList);
        return new MathVerifier(new BoxedAnswerExtractor(), new NumericAnswerComparator(),
                new RewardScheme(correct, wrong, noAnswer), domains);
    }

    private static double finite(Settings settings, String key, double defaultValue) {
        double v = settings.number(key, defaultValue);
        if (!Double.isFinite(v)) throw settings.invalid(key, "must be a finite number");
        return v;
    }
}
