package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.config.Settings;

/**
 * The {@code djl} policy backend: Qwen2-family models on DJL with the PyTorch engine. Construction
 * is free; {@link #open} loads PyTorch. Settings: see {@link DjlSettings}.
 */
public final class DjlPolicyBackend implements PolicyBackend {

    /** Creates the provider; loads nothing. */
    public DjlPolicyBackend() {
    }

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String description() {
        return "Qwen2-family policies on DJL + PyTorch (CPU or CUDA): training, KV-cache sampling, Hugging Face checkpoints";
    }

    @Override
    public Policy open(PolicySpec spec, Settings settings) {
        return DjlPolicy.open(spec, DjlSettings.read(settings));
    }
}
