package io.rlvr4j.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task: a prompt (plain text or chat messages) with what a verifier needs to judge an answer.
 *
 * @param id stable identifier, unique within its data set
 * @param domain what kind of task, e.g. {@code math} or {@code code}; selects the reward function
 * @param prompt the prompt text, or {@code null} when {@code messages} is given
 * @param messages chat messages, empty when {@code prompt} is given
 * @param answer the reference answer (math), or {@code null}
 * @param metadata anything else a verifier needs (tests for code, difficulty, source …)
 */
public record Problem(String id, String domain, String prompt, List<ChatMessage> messages, String answer,
                      Map<String, Object> metadata) {

    public Problem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        messages = List.copyOf(messages == null ? List.of() : messages);
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        if ((prompt == null) == messages.isEmpty()) {
            throw new IllegalArgumentException("problem " + id + ": give exactly one of prompt and messages");
        }
    }

    /** {@return a plain-text problem} */
    public static Problem of(String id, String domain, String prompt, String answer) {
        return new Problem(id, domain, prompt, List.of(), answer, Map.of());
    }
}
