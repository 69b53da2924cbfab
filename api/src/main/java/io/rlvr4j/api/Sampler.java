package io.rlvr4j.api;

import java.util.List;
import java.util.Map;

/**
 * Generates continuations of prompts. Not thread-safe; the caller closes it.
 *
 * @see RolloutEngine
 */
public interface Sampler extends AutoCloseable {

    /** {@return the tokenizer of the model} */
    Tokenizer tokenizer();

    /**
     * Generates one continuation per prompt. Prompts may differ in length; to draw n samples of a
     * prompt, pass it n times.
     */
    List<Generation> generate(List<int[]> prompts, SamplingParams params);

    /**
     * Replaces the weights with {@code weights} (Hugging Face parameter names, as
     * {@link Policy#exportWeights()} returns them). The tensors may be views valid during this call only
     * ({@link Policy#lendWeights}): a sampler copies what it keeps.
     */
    void loadWeights(Map<String, WeightTensor> weights);

    @Override
    void close();
}
