package io.rlvr4j.api;

import java.util.List;
import java.util.Set;

/**
 * How to sample a continuation.
 *
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topP nucleus sampling: keep the smallest set of tokens whose probability reaches {@code topP}
 *     (1 = off). The most likely token is always kept.
 * @param topK keep the {@code topK} most likely tokens (0 = off)
 * @param maxNewTokens the most tokens to generate
 * @param stopTokens token ids that end a sequence (kept in the output, e.g. end-of-sequence)
 * @param seed the random seed; the same seed, prompts and weights give the same samples
 * @param stopStrings texts that end a sequence once the decoded output contains one (across token
 *     boundaries); the tokens up to the one that completed it are kept, as vLLM keeps them
 * @param keepStopString whether the generation's text keeps the stop string (vLLM's
 *     {@code include_stop_str_in_output}); else the text ends before it
 */
public record SamplingParams(double temperature, double topP, int topK, int maxNewTokens, Set<Integer> stopTokens,
                             long seed, List<String> stopStrings, boolean keepStopString) {

    public SamplingParams {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, but is: " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], but is: " + topP);
        if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0, but is: " + topK);
        if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be >= 1, but is: " + maxNewTokens);
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String stop : stopStrings) if (stop.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }

    /** Parameters without stop strings. */
    public SamplingParams(double temperature, double topP, int topK, int maxNewTokens, Set<Integer> stopTokens, long seed) {
        this(temperature, topP, topK, maxNewTokens, stopTokens, seed, List.of(), false);
    }

    /** {@return greedy decoding} */
    public static SamplingParams greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new SamplingParams(0, 1, 0, maxNewTokens, stopTokens, 0);
    }

    /** {@return whether this decodes greedily} */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** {@return these parameters with another seed} */
    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stopTokens, newSeed, stopStrings, keepStopString);
    }

    /** {@return these parameters with another temperature} (&gt;= 0) */
    public SamplingParams withTemperature(double newTemperature) {
        return new SamplingParams(newTemperature, topP, topK, maxNewTokens, stopTokens, seed, stopStrings, keepStopString);
    }

    /** {@return these parameters with another token budget} (&gt;= 1) */
    public SamplingParams withMaxNewTokens(int newMaxNewTokens) {
        return new SamplingParams(temperature, topP, topK, newMaxNewTokens, stopTokens, seed, stopStrings, keepStopString);
    }

    /** {@return these parameters with other stop tokens} */
    public SamplingParams withStopTokens(Set<Integer> newStopTokens) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, newStopTokens, seed, stopStrings, keepStopString);
    }

    /** {@return greedy decoding with these parameters' length and stops} */
    public SamplingParams asGreedy() {
        return new SamplingParams(0, 1, 0, maxNewTokens, stopTokens, 0, stopStrings, keepStopString);
    }
}
