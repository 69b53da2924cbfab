package io.rlvr4j.backend.hf;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.WeightTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every engine's inference-only sampler of a Hugging Face model has alike: the model's
 * tokenizer, refusing work once closed, and closing the model before the tokenizer. An engine
 * supplies the decoding (usually {@link DecodeLoop}), the weight load and the model's close.
 * Not thread-safe.
 */
public abstract class HfSampler implements Sampler {

    private final HfTokenizer tokenizer;
    private boolean closed;

    protected HfSampler(HfTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Opens the tokenizer of {@code modelDir}, then {@return the sampler {@code build} makes on it}; if
     * that fails, the tokenizer is closed.
     */
    protected static <S extends HfSampler> S open(Path modelDir, DecoderConfig config, Function<HfTokenizer, S> build) {
        HfTokenizer tokenizer = HfTokenizer.open(modelDir, config);
        try {
            return build.apply(tokenizer);
        } catch (RuntimeException | Error e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Generates one continuation per prompt, as {@link #generate}; the sampler is open. */
    protected abstract List<Generation> decode(List<int[]> prompts, SamplingParams params, HfTokenizer tokenizer);

    /** Replaces the model's weights, as {@link #loadWeights}; the sampler is open. */
    protected abstract void load(Map<String, WeightTensor> weights);

    /** Frees the model (the tokenizer is closed after it). */
    protected abstract void closeModel();

    @Override
    public final Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public final List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        requireOpen();
        return decode(prompts, params, tokenizer);
    }

    @Override
    public final void loadWeights(Map<String, WeightTensor> weights) {
        requireOpen();
        load(weights);
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the sampler is closed");
    }

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        try {
            closeModel();
        } finally {
            tokenizer.close();
        }
    }
}
