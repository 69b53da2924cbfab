package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.Problem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data sets a run makes ({@code distill}, {@code filter}) as files: one JSON object per line,
 * {@code {"id", "domain", "prompt" | "messages": [{"role", "content"}], "answer", "metadata": {…}}},
 * every field of a {@link Problem}, so that a resumed run reads back exactly what was written.
 */
final class ProblemFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private ProblemFiles() {}

    /** Writes {@code problems} to {@code file}, atomically. */
    static void write(Path file, List<Problem> problems) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Problem p : problems) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", p.id());
                    row.put("domain", p.domain());
                    if (p.prompt() != null) {
                        row.put("prompt", p.prompt());
                    } else {
                        List<Map<String, String>> messages = new ArrayList<>();
                        for (ChatMessage m : p.messages()) messages.add(Map.of("role", m.role(), "content", m.content()));
                        row.put("messages", messages);
                    }
                    if (p.answer() != null) row.put("answer", p.answer());
                    row.put("metadata", p.metadata());
                    out.write(JSON.writeValueAsString(row));
                    out.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * {@return the problems of {@code file}}
     *
     * @throws IllegalStateException naming the file and line of a row that is not one {@link #write} writes
     */
    static List<Problem> read(Path file) {
        List<Problem> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            try {
                JsonNode n = JSON.readTree(lines.get(i));
                List<ChatMessage> messages = new ArrayList<>();
                if (n.has("messages")) for (JsonNode m : n.get("messages")) messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
                out.add(new Problem(n.get("id").asText(), n.get("domain").asText(), n.has("prompt") ? n.get("prompt").asText() : null, messages,
                        n.has("answer") ? n.get("answer").asText() : null, JSON.convertValue(n.get("metadata"), MAP)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": not a problem as rlvr4j writes them (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }
}
