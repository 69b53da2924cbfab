package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;

/**
 * SPI: an RL algorithm (RLOO, GRPO, PPO, PRIME …). Selected in configuration by
 * {@code algorithm.name: <name>}.
 */
public interface Algorithm extends Plugin {

    /**
     * Creates the update rule with this algorithm's settings (clip range, KL, aggregation …).
     *
     * @throws io.rlvr4j.api.config.ConfigException when a setting is invalid
     */
    UpdateRule create(Settings settings);
}
