package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.backend.hf.HfSampler;
import io.rlvr4j.backend.hf.HfTokenizer;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An inference-only Qwen2 sampler: the model code of {@link DjlPolicy} without optimiser or
 * gradients, fed new weights with {@link #loadWeights}. Not thread-safe.
 */
final class DjlSampler extends HfSampler {

    private final Qwen2Model model;
    private final Generator generator;

    private DjlSampler(Qwen2Model model, HfTokenizer tokenizer, int generationBatchSize) {
        super(tokenizer);
        this.model = model;
        this.generator = new Generator(model, generationBatchSize);
    }

    /**
     * Opens the model in {@code modelDir} for sampling. A directory without weights (that of a policy
     * opened with {@code init: RANDOM}) opens with fresh weights from seed 0: load the policy's weights
     * before sampling.
     */
    static DjlSampler open(Path modelDir, DjlSettings settings) {
        DecoderConfig config = DecoderConfig.read(modelDir);
        var device = settings.start();
        return open(modelDir, config, tokenizer -> {
            Qwen2Model model = Safetensors.isCheckpoint(modelDir) ? Qwen2Weights.load(config, modelDir, device, false, 0)
                    : Qwen2Weights.random(config, device, false, 0);
            return new DjlSampler(model, tokenizer, settings.generationBatchSize());
        });
    }

    /** {@return the underlying model} (for tests) */
    Qwen2Model model() {
        return model;
    }

    @Override
    protected List<Generation> decode(List<int[]> prompts, SamplingParams params, HfTokenizer tokenizer) {
        return generator.generate(prompts, params, tokenizer);
    }

    @Override
    protected void load(Map<String, WeightTensor> weights) {
        Qwen2Weights.copyInto(model, weights);
    }

    @Override
    protected void closeModel() {
        model.close();
    }
}
