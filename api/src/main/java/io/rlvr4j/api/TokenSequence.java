package io.rlvr4j.api;

import java.util.Arrays;

/**
 * A prompt followed by a response, as token ids. Per-token arrays that go with a sequence (log-probs,
 * advantages, values) have one entry per <em>response</em> token.
 *
 * @param tokens prompt then response token ids
 * @param promptLength how many of {@code tokens} are the prompt (at least 1)
 */
public record TokenSequence(int[] tokens, int promptLength) {

    public TokenSequence {
        if (promptLength < 1 || promptLength > tokens.length) {
            throw new IllegalArgumentException("promptLength must be in [1, " + tokens.length + "], but is: " + promptLength);
        }
    }

    /** {@return the sequence of {@code prompt} followed by {@code response}} */
    public static TokenSequence of(int[] prompt, int[] response) {
        int[] all = Arrays.copyOf(prompt, prompt.length + response.length);
        System.arraycopy(response, 0, all, prompt.length, response.length);
        return new TokenSequence(all, prompt.length);
    }

    /** {@return the number of response tokens} */
    public int responseLength() {
        return tokens.length - promptLength;
    }

    /** {@return the response token ids} */
    public int[] response() {
        return Arrays.copyOfRange(tokens, promptLength, tokens.length);
    }
}
