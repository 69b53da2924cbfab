package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;

/**
 * SPI: a trainable policy implementation (a deep-learning engine and a model family).
 * Selected in configuration by {@code policy.backend: <name>}.
 */
public interface PolicyBackend extends Plugin {

    /**
     * Opens a policy: loads the weights of {@code spec.modelDir()} or initialises fresh ones.
     *
     * @param spec what to open and how it will be trained
     * @param settings this backend's configuration slice (device, threads, micro-batch size …)
     * @return an open policy; the caller closes it
     * @throws io.rlvr4j.api.config.ConfigException when the settings or the model directory are invalid
     */
    Policy open(PolicySpec spec, Settings settings);

    /**
     * {@return the memory, in bytes, that a policy opened with {@code spec} and {@code settings} would
     * hold}: its weights, and for a trainable one its gradients and optimiser state, estimated from the
     * model directory without loading it (activations come on top). Empty when the backend cannot say.
     * A run adds up the models it holds at once and refuses to start where they would not fit.
     *
     * @throws io.rlvr4j.api.config.ConfigException when the model directory is invalid
     */
    default java.util.OptionalLong memoryEstimate(PolicySpec spec, Settings settings) {
        return java.util.OptionalLong.empty();
    }
}
