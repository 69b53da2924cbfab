package io.rlvr4j.api;

/**
 * One generated continuation of a prompt.
 *
 * @param promptTokens the prompt's token ids
 * @param tokens the generated token ids (a stop token, if one ended it, included; where a stop string
 *     ended it, up to the token that completed the string)
 * @param logProbs the log-probability of each generated token under the distribution it was sampled
 *     from (after temperature, before top-p/top-k truncation)
 * @param text the decoded generated text, special tokens skipped (cut at a stop string that ended it,
 *     unless the sampling parameters keep it)
 * @param finishReason why generation ended
 */
public record Generation(int[] promptTokens, int[] tokens, float[] logProbs, String text, FinishReason finishReason) {

    public Generation {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException("tokens and logProbs differ in length: " + tokens.length + " vs " + logProbs.length);
        }
    }

    /** {@return prompt and response as one sequence} */
    public TokenSequence sequence() {
        return TokenSequence.of(promptTokens, tokens);
    }

    /** Why a generation ended. */
    public enum FinishReason {
        /** a stop token was generated, or the text came to contain a stop string */
        STOP,
        /** {@link SamplingParams#maxNewTokens()} was reached */
        LENGTH
    }
}
