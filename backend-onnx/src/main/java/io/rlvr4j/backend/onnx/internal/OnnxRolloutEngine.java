package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.api.MatmulTimer;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.DecoderConfig;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The {@code onnx} rollout engine: the decoder (Qwen2, Qwen3, Llama) as an ONNX graph written in Java, run by ONNX
 * Runtime on the CPU, fed the trainer's weights after each step (a new session from memory).
 * Construction is free; {@link #open} loads ONNX Runtime. Settings: see {@link OnnxSampler}.
 */
public final class OnnxRolloutEngine implements RolloutEngine, MatmulTimer {

    /** Creates the provider; loads nothing. */
    public OnnxRolloutEngine() {
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "inference-only Qwen2, Qwen3 and Llama sampling on ONNX Runtime (graph written in Java, KV cache, weights synced per step)";
    }

    @Override
    public Sampler open(Path modelDir, Settings settings) {
        return OnnxSampler.open(modelDir, settings);
    }

    /**
     * 14 bytes a parameter: at a weight update, the staging buffers the lent weights are laid out in
     * (4) and the session being created from them (ONNX Runtime's copy of them and their pre-packed
     * form), and the runtime around it; measured on a Qwen2.5-0.5B-shaped model, whose two-step RL run
     * with DJL training peaks at 15.9 GB, 8 GB above the trainer's 7.9 GB (docs/benchmarks.md).
     */
    @Override
    public OptionalLong memoryEstimate(Path modelDir, Settings settings) {
        DecoderConfig config = DecoderConfig.read(modelDir);
        DecoderGraph.check(config); // a model the engine refuses is refused here, before the run starts
        return OptionalLong.of(14 * config.parameterCount());
    }

    /** ONNX Runtime's float32 MatMul with a pre-packed initializer weight, on the decoder's session options ({@code threads}, {@code device}). */
    @Override
    public double matmulFlopsPerSecond(int m, int k, int n, int reps, Settings settings) {
        return MatmulTiming.flopsPerSecond(m, k, n, reps, settings);
    }
}
