package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.config.Settings;

/** Reads an {@code optimizer} section into an {@link OptimizerSpec}. */
final class Optimizers {

    private Optimizers() {}

    static OptimizerSpec read(Settings s, double defaultLr) {
        OptimizerSpec d = OptimizerSpec.adamW(defaultLr);
        try {
            return new OptimizerSpec(s.number("lr", defaultLr), s.number("beta1", d.beta1()), s.number("beta2", d.beta2()),
                    s.number("eps", d.epsilon()), s.number("weight_decay", d.weightDecay()),
                    s.number("grad_clip", d.gradClip()), s.integer("warmup_steps", d.warmupSteps()));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            throw s.invalid(key, e.getMessage());
        }
    }
}
