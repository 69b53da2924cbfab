package io.rlvr4j.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to open as a policy.
 *
 * @param modelDir a Hugging Face model directory: {@code config.json} and {@code tokenizer.json}, and
 *     {@code *.safetensors} unless {@code init} is {@link Init#RANDOM}
 * @param init whether to load the weights or initialise fresh ones from {@code config.json}
 * @param role the role the model plays; a {@link ModelRole#CRITIC} gets a scalar value head
 * @param optimizer how to train it, or {@code null} for a frozen model (reference policy)
 * @param seed seeds weight initialisation and dropout-free sampling defaults
 */
public record PolicySpec(Path modelDir, Init init, ModelRole role, OptimizerSpec optimizer, long seed) {

    public PolicySpec {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(role, "role");
    }

    /** {@return whether the policy has an optimiser} */
    public boolean trainable() {
        return optimizer != null;
    }

    /** How the weights are obtained. */
    public enum Init {
        /** read {@code *.safetensors} from the model directory */
        LOAD,
        /** initialise fresh weights as Hugging Face does ({@code normal(0, initializer_range)}, zero biases, unit norms) */
        RANDOM
    }
}
