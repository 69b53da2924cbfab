package io.rlvr4j.algorithms.kit;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.math.KlController;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The settings of a clipped policy-gradient update that every algorithm reads the same way (RLOO,
 * GRPO, REINFORCE++, PPO, PRIME), with their defaults; see docs/algorithms.md.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code clip_low}</td><td>0.2</td><td>ratio clipped below at {@code 1 - clip_low}</td></tr>
 *   <tr><td>{@code clip_high}</td><td>0.2</td><td>ratio clipped above at {@code 1 + clip_high} (DAPO's clip-higher: e.g. 0.28)</td></tr>
 *   <tr><td>{@code dual_clip}</td><td>0</td><td>dual-clip constant &gt; 1 for negative advantages, 0 = off</td></tr>
 *   <tr><td>{@code kl_coef}</td><td>0.0</td><td>KL-to-reference coefficient; &gt; 0 opens a reference model (Sky-T1 uses 0)</td></tr>
 *   <tr><td>{@code kl_estimator}</td><td>k3</td><td>k1, k2 or k3 (see {@link KlEstimator})</td></tr>
 *   <tr><td>{@code kl_reward_coef}</td><td>0.0</td><td>KL-to-reference penalty in the reward, per token
 *       ({@code r_t -= coef * kl_t}, verl's {@code use_kl_in_reward}); &gt; 0 opens a reference model</td></tr>
 *   <tr><td>{@code kl_reward_estimator}</td><td>k1</td><td>the estimator of the reward penalty</td></tr>
 *   <tr><td>{@code kl_controller}</td><td>fixed</td><td>fixed, or adaptive: {@code kl_reward_coef} follows
 *       {@code kl_target} over {@code kl_horizon} samples (see {@link KlController})</td></tr>
 *   <tr><td>{@code kl_target}</td><td>0.1</td><td>the adaptive controller's target KL per token</td></tr>
 *   <tr><td>{@code kl_horizon}</td><td>10000</td><td>the adaptive controller's horizon, in samples</td></tr>
 *   <tr><td>{@code entropy_coef}</td><td>0.0</td><td>entropy bonus</td></tr>
 *   <tr><td>{@code loss_agg}</td><td>token-mean</td><td>see {@link LossAggregation}</td></tr>
 *   <tr><td>{@code epochs}</td><td>1</td><td>passes over each batch of rollouts</td></tr>
 *   <tr><td>{@code mini_batches}</td><td>1</td><td>optimiser steps per epoch; the groups are split into this many parts</td></tr>
 *   <tr><td>{@code filter_zero_std}</td><td>false</td><td>drop groups whose rewards are all equal (dynamic sampling)</td></tr>
 *   <tr><td>{@code mask_truncated}</td><td>false</td><td>leave responses cut at {@code max_new_tokens} out of the
 *       policy loss (DAPO's overlong filtering); they still count in their group's baseline</td></tr>
 *   <tr><td>{@code seed}</td><td>0</td><td>seeds the split of groups into mini-batches</td></tr>
 * </table>
 */
public record PolicyGradientSettings(ClipRange clip, double dualClip, KlPenalty kl, double entropyCoefficient,
                              LossAggregation aggregation, int epochs, int miniBatches, boolean filterZeroStd, long seed,
                              KlReward klReward, boolean maskTruncated) {

    /**
     * The KL penalty in the reward.
     *
     * @param coefficient the initial coefficient; 0 for none
     * @param adaptive whether it follows {@code target} (Ziegler's controller) rather than staying fixed
     */
    public record KlReward(double coefficient, KlEstimator estimator, boolean adaptive, double target, long horizon) {
        public static final KlReward NONE = new KlReward(0, KlEstimator.K1, false, 0.1, 10_000);

        /** {@return whether the reward carries a KL penalty (and reference log-probs are needed)} */
        public boolean active() {
            return coefficient > 0;
        }

        /** {@return a new controller of the coefficient} (stateful when adaptive: one per update rule) */
        public KlController controller() {
            return adaptive ? KlController.adaptive(coefficient, target, horizon) : KlController.fixed(coefficient);
        }
    }

    public PolicyGradientSettings {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(kl, "kl");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(klReward, "klReward");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, but is: " + epochs);
        if (miniBatches < 1) throw new IllegalArgumentException("mini_batches must be >= 1, but is: " + miniBatches);
    }

    private enum KlControl {
        FIXED, ADAPTIVE
    }

    /** Reads and validates the shared keys of {@code settings}. */
    public static PolicyGradientSettings read(Settings settings) {
        double clipLow = settings.number("clip_low", 0.2);
        if (!(clipLow > 0 && clipLow < 1)) throw settings.invalid("clip_low", "must be in (0, 1); PPO uses 0.2");
        double clipHigh = settings.number("clip_high", 0.2);
        if (!(clipHigh > 0)) throw settings.invalid("clip_high", "must be > 0; PPO uses 0.2, DAPO's clip-higher 0.28");
        double dualClip = settings.number("dual_clip", 0);
        if (dualClip != 0 && !(dualClip > 1)) throw settings.invalid("dual_clip", "must be > 1 (e.g. 3), or 0 to turn it off");
        double klCoef = settings.number("kl_coef", 0);
        if (!(klCoef >= 0)) throw settings.invalid("kl_coef", "must be >= 0 (0 = no KL term, no reference model)");
        KlEstimator estimator = estimator(settings, "kl_estimator", KlEstimator.K3);
        double entropy = settings.number("entropy_coef", 0);
        if (!(entropy >= 0)) throw settings.invalid("entropy_coef", "must be >= 0");
        LossAggregation agg = settings.choice("loss_agg", LossAggregation.class, LossAggregation.TOKEN_MEAN);
        int epochs = settings.integer("epochs", 1);
        if (epochs < 1) throw settings.invalid("epochs", "must be >= 1 (passes over each batch)");
        int miniBatches = settings.integer("mini_batches", 1);
        if (miniBatches < 1) throw settings.invalid("mini_batches", "must be >= 1 (optimiser steps per epoch)");
        boolean filter = settings.flag("filter_zero_std", false);
        boolean maskTruncated = settings.flag("mask_truncated", false);
        long seed = settings.longValue("seed", 0);
        double klRewardCoef = settings.finiteNumber("kl_reward_coef", 0);
        if (!(klRewardCoef >= 0)) throw settings.invalid("kl_reward_coef", "must be >= 0 (0 = no KL penalty in the reward)");
        KlEstimator klRewardEstimator = estimator(settings, "kl_reward_estimator", KlEstimator.K1);
        boolean adaptive = settings.choice("kl_controller", KlControl.class, KlControl.FIXED) == KlControl.ADAPTIVE;
        double target = settings.finiteNumber("kl_target", 0.1);
        if (!(target > 0)) throw settings.invalid("kl_target", "must be > 0 (the KL per token the adaptive controller aims at)");
        long horizon = settings.longValue("kl_horizon", 10_000);
        if (horizon < 1) throw settings.invalid("kl_horizon", "must be >= 1 (samples over which the coefficient may change by 20%)");
        if (adaptive && klRewardCoef == 0) throw settings.invalid("kl_controller", "adaptive needs kl_reward_coef > 0 to start from");
        return new PolicyGradientSettings(new ClipRange(clipLow, clipHigh), dualClip, new KlPenalty(klCoef, estimator), entropy,
                agg, epochs, miniBatches, filter, seed, new KlReward(klRewardCoef, klRewardEstimator, adaptive, target, horizon), maskTruncated);
    }

    private static KlEstimator estimator(Settings settings, String key, KlEstimator defaultValue) {
        String name = settings.string(key, null);
        if (name == null) return defaultValue;
        try {
            return KlEstimator.named(name);
        } catch (IllegalArgumentException e) {
            throw settings.invalid(key, e.getMessage());
        }
    }

    /**
     * {@return the error for a batch of {@code groups} prompt groups, fewer than {@code mini_batches}}: it is
     * only known at update time, but names the configuration line of {@code mini_batches}
     */
    public static IntFunction<ConfigException> miniBatchError(Settings settings) {
        return groups -> settings.invalid("mini_batches", "cannot split a batch of " + groups + " prompt groups into that many "
                + "mini-batches; set mini_batches to at most the prompts per step (" + groups + ")");
    }

    /**
     * {@return the configuration key of the number of samples per prompt}: the algorithm's slice sits inside
     * the RL stage ({@code stages[1].algorithm}), whose {@code n} it is ({@code stages[1].n}); plain {@code n}
     * when the slice has no parent
     */
    public static String samplesKey(Settings settings) {
        String prefix = settings.prefix();
        int dot = prefix.lastIndexOf('.');
        return dot < 0 ? "n" : prefix.substring(0, dot) + ".n";
    }
}
