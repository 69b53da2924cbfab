package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;
import io.rlvr4j.api.math.Baselines;

/**
 * RLOO, REINFORCE Leave-One-Out (Ahmadian et al. 2024, "Back to Basics: Revisiting REINFORCE Style
 * Optimization for Learning from Human Feedback in LLMs", arXiv:2402.14740), with the PPO-style clipped
 * ratio that Sky-T1 and OpenRLHF use. Each of the n samples of a prompt is baselined by the mean reward of
 * the other n - 1:
 * <pre>
 *   A_i = r_i - 1/(n-1) * sum_{j != i} r_j = n/(n-1) * (r_i - mean(r))        ({@link Baselines#leaveOneOut})
 * </pre>
 * an unbiased baseline that needs no critic. {@code A_i} is given to every response token of sample i.
 *
 * <p>Settings: those of {@link PolicyGradientSettings} ({@code clip_low}, {@code clip_high},
 * {@code dual_clip}, {@code kl_coef} (0: no reference model, as Sky-T1), {@code kl_estimator},
 * {@code entropy_coef}, {@code loss_agg}, {@code epochs}, {@code mini_batches}, {@code filter_zero_std},
 * {@code seed}). Needs at least 2 samples per prompt ({@code n} of the RL stage).
 */
public final class RlooAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "rloo";
    }

    @Override
    public String description() {
        return "RLOO: leave-one-out group baselines with a PPO-style clipped update (no critic)";
    }

    @Override
    public UpdateRule create(Settings settings) {
        PolicyGradientSettings pg = PolicyGradientSettings.read(settings);
        return new GroupPolicyGradientRule("RLOO", pg, AdvantageEstimator.groupBaseline(Baselines::leaveOneOut), PolicyGradientSettings.miniBatchError(settings),
                PolicyGradientSettings.samplesKey(settings));
    }
}
