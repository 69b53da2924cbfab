package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import io.rlvr4j.api.math.Baselines;

/**
 * GRPO, Group Relative Policy Optimization (Shao et al. 2024, "DeepSeekMath", arXiv:2402.03300): the
 * update of {@link RlooAlgorithm} with group-normalised advantages
 * <pre>
 *   A_i = (r_i - mean(r)) / (std(r) + epsilon)        ({@link Baselines#groupNormalized})
 * </pre>
 * or, with {@code norm_by_std: false}, {@code A_i = r_i - mean(r)} as Dr. GRPO recommends (Liu et al.
 * 2025, arXiv:2503.20783: dividing by the std over-weights prompts that are nearly always or never
 * solved); pair that with {@code loss_agg: seq-mean-token-sum-norm} for Dr. GRPO's length-unbiased loss.
 *
 * <p>Settings: those of {@link PolicyGradientSettings}, plus {@code norm_by_std} (true) and
 * {@code epsilon} (1e-6, &gt; 0). Needs at least 2 samples per prompt ({@code n} of the RL stage).
 */
public final class GrpoAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "grpo";
    }

    @Override
    public String description() {
        return "GRPO: group-normalised advantages with a PPO-style clipped update (no critic); Dr. GRPO with norm_by_std: false";
    }

    @Override
    public UpdateRule create(Settings settings) {
        PolicyGradientSettings pg = PolicyGradientSettings.read(settings);
        boolean normByStd = settings.flag("norm_by_std", true);
        double epsilon = settings.number("epsilon", 1e-6);
        if (!(epsilon > 0)) throw settings.invalid("epsilon", "must be > 0; it keeps groups of equal rewards from dividing 0 by 0");
        return new GroupPolicyGradientRule("GRPO", pg,
                AdvantageEstimator.groupBaseline(rewards -> Baselines.groupNormalized(rewards, normByStd, epsilon)),
                PolicyGradientSettings.miniBatchError(settings),
                PolicyGradientSettings.samplesKey(settings));
    }
}
