package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;

/**
 * The {@code onnx} rollout engine: the decoder (Qwen2, Qwen3, Llama) as an ONNX graph written in Java, run by ONNX
 * Runtime on the CPU, fed the trainer's weights after each step (a new session from memory).
 * Construction is free; {@link #open} loads ONNX Runtime. Settings: see {@link OnnxSampler}.
 */
public final class OnnxRolloutEngine implements RolloutEngine {

    /** Creates the provider; loads nothing. */
    public OnnxRolloutEngine() {
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "inference-only Qwen2 sampling on ONNX Runtime (graph written in Java, KV cache, weights synced per step)";
    }

    @Override
    public Sampler open(Path modelDir, Settings settings) {
        return OnnxSampler.open(modelDir, settings);
    }
}
