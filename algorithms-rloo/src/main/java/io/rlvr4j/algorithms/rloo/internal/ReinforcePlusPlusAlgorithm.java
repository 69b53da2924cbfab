package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;

/**
 * REINFORCE++ (Hu 2025, "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language
 * Models", arXiv:2501.03262), as verl ({@code adv_estimator: reinforce_plus_plus}) and OpenRLHF
 * ({@code --advantage_estimator reinforce++}) run it: no critic and no group baseline; each token's
 * reward is the KL penalty to the reference ({@code kl_reward_coef}, k1 by default), with the outcome on
 * the last token, and its advantage is the discounted return whitened over every token of the batch:
 * <pre>
 *   r_t = -beta * kl_t  (+ outcome at the last token)
 *   G_t = sum_{s >= t} gamma^(s - t) r_s
 *   A_t = (G_t - mean(G)) / sqrt(var(G) + 1e-8)      over all response tokens of the batch
 * </pre>
 * With {@code baseline: group} it is REINFORCE++-baseline ({@code reinforce_plus_plus_baseline}): each
 * sequence's reward ({@code outcome - beta * sum_t kl_t}) less its prompt group's mean, given to every
 * token, then whitened over the batch; it needs 2 samples per prompt, the plain one works with 1.
 *
 * <p>Settings: those of {@link PolicyGradientSettings} (the paper uses {@code kl_reward_coef} around
 * 0.01; it is 0 here, as for every algorithm, until set), plus {@code gamma} (1.0, in (0, 1]) and
 * {@code baseline} ({@code none} or {@code group}).
 */
public final class ReinforcePlusPlusAlgorithm implements Algorithm {

    private enum Baseline {
        NONE, GROUP
    }

    @Override
    public String name() {
        return "reinforce_pp";
    }

    @Override
    public String description() {
        return "REINFORCE++: KL-shaped token returns whitened over the batch (no critic); REINFORCE++-baseline with baseline: group";
    }

    @Override
    public UpdateRule create(Settings settings) {
        PolicyGradientSettings pg = PolicyGradientSettings.read(settings);
        double gamma = settings.finiteNumber("gamma", 1.0);
        if (!(gamma > 0 && gamma <= 1)) throw settings.invalid("gamma", "must be in (0, 1]; REINFORCE++ uses 1");
        boolean group = settings.choice("baseline", Baseline.class, Baseline.NONE) == Baseline.GROUP;
        return new GroupPolicyGradientRule(group ? "REINFORCE++-baseline" : "REINFORCE++", pg,
                AdvantageEstimator.reinforcePlusPlus(gamma, group), PolicyGradientSettings.miniBatchError(settings),
                PolicyGradientSettings.samplesKey(settings));
    }
}
