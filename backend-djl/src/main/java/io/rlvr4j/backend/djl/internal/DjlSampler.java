package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.Safetensors;
import io.rlvr4j.backend.hf.Qwen2Config;
import io.rlvr4j.backend.hf.HfTokenizer;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.WeightTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An inference-only Qwen2 sampler: the model code of {@link DjlPolicy} without optimiser or
 * gradients, fed new weights with {@link #loadWeights}. Not thread-safe.
 */
final class DjlSampler implements Sampler {

    private final Qwen2Model model;
    private final HfTokenizer tokenizer;
    private final Generator generator;
    private boolean closed;

    private DjlSampler(Qwen2Model model, HfTokenizer tokenizer, int generationBatchSize) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(model, generationBatchSize);
    }

    /**
     * Opens the model in {@code modelDir} for sampling. A directory without weights (that of a policy
     * opened with {@code init: RANDOM}) opens with fresh weights from seed 0: load the policy's weights
     * before sampling.
     */
    static DjlSampler open(Path modelDir, DjlSettings settings) {
        Qwen2Config config = Qwen2Config.read(modelDir);
        var device = settings.start();
        HfTokenizer tokenizer = HfTokenizer.open(modelDir, config);
        try {
            Qwen2Model model = Safetensors.isCheckpoint(modelDir) ? Qwen2Weights.load(config, modelDir, device, false, 0) : Qwen2Weights.random(config, device, false, 0);
            return new DjlSampler(model, tokenizer, settings.generationBatchSize());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** {@return the underlying model} (for tests) */
    Qwen2Model model() {
        return model;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        if (closed) throw new IllegalStateException("the sampler is closed");
        return generator.generate(prompts, params, tokenizer);
    }

    @Override
    public void loadWeights(Map<String, WeightTensor> weights) {
        if (closed) throw new IllegalStateException("the sampler is closed");
        Qwen2Weights.copyInto(model, weights);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
