package io.rlvr4j.data.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a JSON-Lines file of problems; see {@link JsonlDataSource} for the format. Not thread-safe. */
final class JsonlProblemReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final Set<String> KNOWN = Set.of("id", "prompt", "messages", "answer", "domain", "solution");

    private final Path path;
    private final String pathKey;
    private final String defaultDomain;
    private final int limit;
    private final String fileName;
    private final RowMapper mapper;
    private final RowSkips skips;
    private RowMapper.Preset preset;

    /**
     * @param path the file
     * @param pathKey the configuration key that named the file, for "file not found"
     * @param defaultDomain the domain of lines without one
     * @param limit the most problems to read, 0 for all
     */
    JsonlProblemReader(Path path, String pathKey, String defaultDomain, int limit, RowMapper mapper) {
        this.mapper = mapper;
        this.skips = new RowSkips(path.toString());
        this.path = path;
        this.pathKey = pathKey;
        this.defaultDomain = defaultDomain;
        this.limit = limit;
        Path name = path.getFileName();
        this.fileName = name == null ? path.toString() : name.toString();
    }

    /** {@return what was noted while reading: rows skipped for want of an answer or tests, by reason} */
    List<String> notes() {
        return skips.notes();
    }

    /** {@return the problems of the file, in file order} */
    List<Problem> read() {
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null && (limit == 0 || problems.size() < limit)) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                Problem p = parse(line, lineNo);
                if (p == null) continue; // no usable answer: counted in notes()
                Integer first = idLines.putIfAbsent(p.id(), lineNo);
                if (first != null) {
                    throw error(lineNo, "duplicate id \"" + p.id() + "\", already used on line " + first
                            + ". Every problem needs its own id (or leave id out to get " + fileName + ":<line>)");
                }
                problems.add(p);
            }
        } catch (NoSuchFileException e) {
            throw new DataException("file not found: " + path + " (set by " + pathKey
                    + "; a relative path is resolved against the configuration file's directory)", e);
        } catch (CharacterCodingException e) {
            throw new DataException(path + ":" + (lineNo + 1) + ": not valid UTF-8 text. Save the file as UTF-8", e);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + " (set by " + pathKey + "): " + e, e);
        }
        if (problems.isEmpty() && skips.count() > 0) {
            throw new DataException(path + ": no row has a usable answer or tests. " + skips.summary());
        }
        if (problems.isEmpty()) {
            throw new DataException(path + ": contains no problems (" + (lineNo == 0 ? "the file is empty" : "all "
                    + lineNo + " lines are blank") + "). Expected one JSON object per line, e.g. "
                    + "{\"prompt\": \"1+1=\", \"answer\": \"2\"}");
        }
        return problems;
    }

    private Problem parse(String line, int lineNo) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String column = at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
            String why = e.getOriginalMessage().startsWith("Trailing token")
                    ? "more than one JSON value on the line" : e.getOriginalMessage();
            throw new DataException(path + ":" + lineNo + ": malformed JSON" + column + ": " + why
                    + ". Expected one JSON object per line", e);
        }
        if (!node.isObject()) {
            throw error(lineNo, "expected a JSON object ({\"prompt\": …, \"answer\": …}), but found " + kind(node));
        }
        if (preset == null) preset = mapper.presetFor(JsonRows.toJava(node), path.toString());
        if (preset != RowMapper.Preset.PLAIN || mapper.configured()) {
            RowMapper.Mapped m = mapper.map(preset, JsonRows.toJava(node), path + ":" + lineNo, fileName + ":" + lineNo);
            if (m.skipped() != null) skips.add(lineNo, m.skipped());
            return m.problem();
        }
        String id = idOf(node.get("id"), lineNo);
        String domain = optionalText(node, "domain", lineNo);
        if (domain != null && domain.isBlank()) throw error(lineNo, "\"domain\" must not be blank");
        JsonNode promptNode = node.get("prompt");
        JsonNode messagesNode = node.get("messages");
        boolean hasPrompt = promptNode != null && !promptNode.isNull();
        boolean hasMessages = messagesNode != null && !messagesNode.isNull();
        if (hasPrompt && hasMessages) {
            throw error(lineNo, "both \"prompt\" and \"messages\" are given; expected exactly one of them");
        }
        if (!hasPrompt && !hasMessages) {
            throw error(lineNo, "missing \"prompt\" (a string) or \"messages\" (an array of {\"role\", \"content\"})");
        }
        String prompt = null;
        List<ChatMessage> messages = List.of();
        if (hasPrompt && promptNode.isArray()) { // verl and SkyRL rows: the prompt is the chat messages
            messages = messagesOf(promptNode, "prompt", lineNo);
        } else if (hasPrompt) {
            if (!promptNode.isTextual()) {
                throw error(lineNo, "\"prompt\" must be a string or an array of {\"role\", \"content\"}, but is " + kind(promptNode));
            }
            prompt = promptNode.textValue();
            if (prompt.isEmpty()) throw error(lineNo, "\"prompt\" is empty");
        } else {
            messages = messagesOf(messagesNode, "messages", lineNo);
        }
        String answer = answerOf(node.get("answer"), lineNo);
        Map<String, Object> metadata = new LinkedHashMap<>();
        String solution = optionalText(node, "solution", lineNo);
        if (solution != null) metadata.put("solution", solution);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (KNOWN.contains(field.getKey()) || field.getValue().isNull()) continue;
            metadata.put(field.getKey(), toJava(field.getValue()));
        }
        return new Problem(id, domain == null ? defaultDomain : domain, prompt, messages, answer, metadata);
    }

    private String idOf(JsonNode id, int lineNo) {
        if (id == null || id.isNull()) return fileName + ":" + lineNo;
        if (id.isTextual()) {
            if (id.textValue().isBlank()) throw error(lineNo, "\"id\" is blank; give a non-blank id or leave it out");
            return id.textValue();
        }
        if (id.isNumber()) return numberText(id);
        throw error(lineNo, "\"id\" must be a string or a number, but is " + kind(id));
    }

    private String answerOf(JsonNode answer, int lineNo) {
        if (answer == null || answer.isNull()) return null;
        if (answer.isTextual()) return answer.textValue();
        if (answer.isNumber()) return numberText(answer);
        throw error(lineNo, "\"answer\" must be a string or a number, but is " + kind(answer));
    }

    /** @param key the field the messages are under: {@code messages}, or {@code prompt} (verl rows) */
    private List<ChatMessage> messagesOf(JsonNode messages, String key, int lineNo) {
        if (!messages.isArray()) {
            throw error(lineNo, "\"" + key + "\" must be an array of {\"role\", \"content\"}, but is " + kind(messages));
        }
        if (messages.isEmpty()) throw error(lineNo, "\"" + key + "\" is empty; expected at least one {\"role\", \"content\"}");
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = key + "[" + i + "]";
            if (!m.isObject()) throw error(lineNo, where + " must be an object {\"role\", \"content\"}, but is " + kind(m));
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual()) {
                throw error(lineNo, where + ".role must be a string (system, user or assistant), but is " + kind(role));
            }
            if (!ROLES.contains(role.textValue())) {
                throw error(lineNo, where + ".role is \"" + role.textValue() + "\"; expected system, user or assistant");
            }
            if (content == null || !content.isTextual()) {
                throw error(lineNo, where + ".content must be a string, but is " + kind(content));
            }
            out.add(new ChatMessage(role.textValue(), content.textValue()));
        }
        return out;
    }

    private String optionalText(JsonNode node, String field, int lineNo) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw error(lineNo, "\"" + field + "\" must be a string, but is " + kind(v));
        return v.textValue();
    }

    /** {@return a number as its literal text: integers in full, decimals without exponent when short} */
    private static String numberText(JsonNode n) {
        if (n.isIntegralNumber()) return n.bigIntegerValue().toString();
        var d = n.decimalValue();
        return Math.abs(d.scale()) <= 100 ? d.toPlainString() : d.toString();
    }

    /** Converts a JSON value to plain Java: nested {@code null}s are kept, collections are unmodifiable. */
    private static Object toJava(JsonNode n) {
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.numberValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isNull()) return null;
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode e : n) list.add(toJava(e));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) map.put(e.getKey(), toJava(e.getValue()));
        return Collections.unmodifiableMap(map);
    }

    private static String kind(JsonNode n) {
        if (n == null) return "missing";
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY, MISSING -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private DataException error(int lineNo, String message) {
        return new DataException(path + ":" + lineNo + ": " + message);
    }
}
