package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.MatmulTimer;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.DecoderConfig;
import java.util.OptionalLong;

/**
 * The {@code djl} policy backend: Qwen2, Qwen3 and Llama models on DJL with the PyTorch engine. Construction
 * is free; {@link #open} loads PyTorch. Settings: see {@link DjlSettings}.
 */
public final class DjlPolicyBackend implements PolicyBackend, MatmulTimer {

    /** Creates the provider; loads nothing. */
    public DjlPolicyBackend() {
    }

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String description() {
        return "Qwen2, Qwen3 and Llama policies on DJL + PyTorch (CPU): training, KV-cache sampling, Hugging Face checkpoints";
    }

    @Override
    public Policy open(PolicySpec spec, Settings settings) {
        return DjlPolicy.open(spec, DjlSettings.read(settings));
    }

    /**
     * Float32 weights (4 bytes a parameter); a trainable policy adds its gradients (4) and AdamW's two
     * moments (8): 16 bytes a parameter, or, for an actor trained with LoRA ({@code lora}), 16 bytes an
     * adapter parameter beside the frozen weights' 4.
     */
    @Override
    public OptionalLong memoryEstimate(PolicySpec spec, Settings settings) {
        DecoderConfig config = DecoderConfig.read(spec.modelDir());
        long parameters = config.parameterCount() + (spec.role() == ModelRole.CRITIC ? config.hiddenSize() : 0); // + the value head
        if (spec.optimizer() == null) return OptionalLong.of(4 * parameters);
        LoraAdapters.Spec lora = DjlSettings.read(settings).lora();
        if (lora == null || spec.role() != ModelRole.ACTOR) return OptionalLong.of(16 * parameters);
        return OptionalLong.of(4 * parameters + 16 * LoraAdapters.parameterCount(config, lora));
    }

    /** PyTorch's float32 matmul on the configured {@code device} and {@code threads}. */
    @Override
    public double matmulFlopsPerSecond(int m, int k, int n, int reps, Settings settings) {
        return MatmulTiming.flopsPerSecond(m, k, n, reps, settings);
    }
}
