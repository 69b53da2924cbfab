package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.MatmulTimer;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;

/**
 * The {@code djl} rollout engine: the Qwen2 model of the {@code djl} backend, inference only, fed new
 * weights after each training step. Construction is free; {@link #open} loads PyTorch. Settings: see
 * {@link DjlSettings} ({@code micro_batch_size} is read but only matters to policies).
 */
public final class DjlRolloutEngine implements RolloutEngine, MatmulTimer {

    /** Creates the provider; loads nothing. */
    public DjlRolloutEngine() {
    }

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String description() {
        return "inference-only Qwen2 sampling on DJL + PyTorch with a KV cache";
    }

    @Override
    public Sampler open(Path modelDir, Settings settings) {
        return DjlSampler.open(modelDir, DjlSettings.read(settings));
    }

    /** PyTorch's float32 matmul on the configured {@code device} and {@code threads}. */
    @Override
    public double matmulFlopsPerSecond(int m, int k, int n, int reps, Settings settings) {
        return MatmulTiming.flopsPerSecond(m, k, n, reps, settings);
    }
}
