package io.rlvr4j.api;

import java.util.Objects;

/** One chat turn. {@code role} is {@code system}, {@code user} or {@code assistant}. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
