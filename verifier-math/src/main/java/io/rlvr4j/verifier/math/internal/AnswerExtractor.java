package io.rlvr4j.verifier.math.internal;

import java.util.Optional;

/**
 * Finds the final answer in a model's response.
 *
 * @implSpec Implementations are thread-safe, never throw, and do work linear in the response length
 *     (responses may be megabytes of junk).
 */
interface AnswerExtractor {

    /** {@return the final answer's text, or empty when the response gives none} */
    Optional<String> extract(String response);
}
