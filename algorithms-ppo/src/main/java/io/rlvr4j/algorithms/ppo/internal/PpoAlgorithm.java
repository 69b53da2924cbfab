package io.rlvr4j.algorithms.ppo.internal;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;

/**
 * PPO (Schulman et al. 2017, arXiv:1707.06347) with a critic, as verl runs it for LLMs
 * ({@code adv_estimator: gae}) and SimpleRL-Zero trains with it: the critic is the policy's backbone with
 * a value head (its own model, initialised from the policy at the start of the stage, trained with
 * {@code critic.optimizer}), advantages by GAE over each response's tokens, whitened over the batch,
 * the clipped policy loss for the actor and the clipped value loss for the critic, over several epochs
 * and mini-batches. A KL penalty may sit in the reward (fixed or adaptive, {@code kl_reward_coef}) or in
 * the loss ({@code kl_coef}). See {@link PpoRule} for one update and docs/algorithms.md for the equations.
 *
 * <p>Settings: those of {@link PolicyGradientSettings}, plus {@code gamma} (1.0), {@code lambda} (1.0),
 * {@code value_clip} (0.5; 0 = unclipped), {@code whiten_advantages} (true) and {@code critic_warmup}
 * (0: updates in which only the critic trains). One sample per prompt is enough (the critic is the baseline).
 */
public final class PpoAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "ppo";
    }

    @Override
    public String description() {
        return "PPO with a critic (value head on the policy's backbone), GAE, clipped policy and value losses";
    }

    @Override
    public UpdateRule create(Settings settings) {
        PolicyGradientSettings pg = PolicyGradientSettings.read(settings);
        double gamma = settings.finiteNumber("gamma", 1.0);
        if (!(gamma > 0 && gamma <= 1)) throw settings.invalid("gamma", "must be in (0, 1]; LLM recipes use 1");
        double lambda = settings.finiteNumber("lambda", 1.0);
        if (!(lambda >= 0 && lambda <= 1)) throw settings.invalid("lambda", "must be in [0, 1] (1: Monte-Carlo returns, 0: one-step TD)");
        double valueClip = settings.finiteNumber("value_clip", 0.5);
        if (!(valueClip >= 0)) throw settings.invalid("value_clip", "must be >= 0 (0 = no clipping of the value change)");
        boolean whiten = settings.flag("whiten_advantages", true);
        int warmup = settings.integer("critic_warmup", 0);
        if (warmup < 0) throw settings.invalid("critic_warmup", "must be >= 0 (updates that train only the critic)");
        return new PpoRule(pg, gamma, lambda, valueClip, whiten, warmup, PolicyGradientSettings.miniBatchError(settings));
    }
}
