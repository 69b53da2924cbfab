package io.rlvr4j.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code verify} and {@code bench verifier} share: a verifier made from a reward plugin and
 * {@code --set} options, and judging cases read from JSONL ({@code gold}/{@code answer},
 * {@code pred}/{@code response}, optional {@code domain}, {@code id} and any other fields).
 */
final class VerifyCases {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One input line: the problem as a verifier sees it, the response to judge, and the line itself. */
    record Case(Problem problem, String response, ObjectNode source) {}

    private VerifyCases() {}

    /** {@return the verifier of reward plugin {@code reward} with settings {@code KEY=VALUE}}; unknown keys are errors */
    static Verifier verifier(String reward, List<String> sets) {
        Path here = Path.of("").toAbsolutePath();
        ConfigTree given = Overrides.apply(new ConfigTree(new LinkedHashMap<>(), Map.of(), here, "command line"), sets);
        RewardFunction fn = PluginRegistry.discover().select(RewardFunction.class,
                new Settings("verify", Map.of("reward", reward), Path.of(""), k -> "command line"), "reward", null);
        Settings settings = new Settings("", given.values(), here, given::locate);
        Verifier v = fn.create(settings);
        settings.rejectUnknown();
        return v;
    }

    /** {@return the cases of a JSONL file}, with errors that name the file and line */
    static List<Case> read(Path file, String defaultDomain) throws IOException {
        List<Case> out = new ArrayList<>();
        int n = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (text.isBlank()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new DataException(file + ":" + n + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (!(node instanceof ObjectNode o)) throw new DataException(file + ":" + n + ": expected a JSON object");
            if (!o.hasNonNull("gold") && !o.hasNonNull("answer") && !hasTests(o)) {
                throw new DataException(file + ":" + n + ": no reference: give \"gold\" (or \"answer\"), or tests: \"inputs\" and "
                        + "\"outputs\", or \"test\" and \"entry_point\"");
            }
            if (!o.hasNonNull("pred") && !o.hasNonNull("response") && !o.hasNonNull("code") && !o.hasNonNull("completion")) {
                throw new DataException(file + ":" + n + ": nothing to judge: give \"pred\" or \"response\" (a whole response), "
                        + "or \"code\" or \"completion\" (a program)");
            }
            out.add(toCase(o, "line-" + n, defaultDomain));
        }
        if (out.isEmpty()) throw new DataException(file + ": no cases");
        return out;
    }

    private static Case toCase(ObjectNode c, String fallbackId, String defaultDomain) {
        String domain = c.hasNonNull("domain") ? c.get("domain").asText() : defaultDomain;
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            metadata.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
        }
        metadata.values().removeIf(Objects::isNull);
        String id = c.hasNonNull("id") ? c.get("id").asText() : fallbackId;
        String prompt = c.hasNonNull("prompt") ? text(c.get("prompt")) : "";
        String answer = c.hasNonNull("gold") ? text(c.get("gold")) : c.hasNonNull("answer") ? text(c.get("answer")) : null;
        // a bare program (HumanEval's completion, or code) is judged as a response holding it in a code block
        String response = c.hasNonNull("pred") ? text(c.get("pred")) : c.hasNonNull("response") ? text(c.get("response"))
                : "```" + c.path("language").asText("python") + "\n" + text(c.hasNonNull("code") ? c.get("code") : c.get("completion")) + "\n```";
        return new Case(new Problem(id, domain, prompt, List.of(), answer, metadata), response, c);
    }

    /** {@return whether the line carries tests (a code problem) rather than a reference answer} */
    static boolean hasTests(JsonNode c) {
        return c.hasNonNull("inputs") && c.hasNonNull("outputs") || c.hasNonNull("test") && c.hasNonNull("entry_point");
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }
}
