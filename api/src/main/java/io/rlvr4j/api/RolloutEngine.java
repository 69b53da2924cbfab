package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;

/**
 * SPI: an inference-only generator of rollouts, fed new weights after every training step. This is
 * what lets a run train on one backend and generate on another. Selected in configuration by
 * {@code rollout.engine: <name>}; the value {@code policy} (the default) makes the trainable policy
 * generate by itself, with no weight transfer.
 */
public interface RolloutEngine extends Plugin {

    /**
     * Opens a sampler for the model in {@code modelDir} (Hugging Face layout: {@code config.json},
     * {@code *.safetensors}, {@code tokenizer.json}).
     *
     * @return an open sampler; the caller closes it
     */
    Sampler open(Path modelDir, Settings settings);

    /**
     * {@return the memory, in bytes, that a sampler of {@code modelDir} would hold at its peak} (its
     * weights, and what a weight update holds besides), estimated without loading it; empty when the
     * engine cannot say. See {@link PolicyBackend#memoryEstimate}.
     */
    default java.util.OptionalLong memoryEstimate(Path modelDir, Settings settings) {
        return java.util.OptionalLong.empty();
    }
}
