package io.rlvr4j.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rlvr4j tokens}: the exact text and token ids a model's tokenizer and chat template make of
 * texts and conversations — how a user checks the prompts a run trains on.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        header = "Show the exact prompt text and token ids of a model's tokenizer and chat template.",
        description = {"Show the exact prompt text and token ids that a model's tokenizer and chat template make",
                "of texts and conversations, as a run encodes them. Each input line (JSONL) holds `text`, or",
                "`messages` (a list of {role, content}) with optional `add_generation_prompt` (default true)",
                "and `chat_template_kwargs` (template variables, e.g. {\"enable_thinking\": false}). Each output",
                "line repeats its input and adds `rendered` (the chat template's output, for `messages`) and",
                "`ids`: the text encoded without adding special tokens beyond those the template writes."},
        footer = {"", "Examples:",
                "  rlvr4j tokens --model runs/x/models/rl --input prompts.jsonl",
                "  echo '{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}]}' | rlvr4j tokens --tokenizer DIR --input -"})
public final class TokensCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Source {
        @Option(names = "--tokenizer", paramLabel = "DIR", required = true,
                description = "A directory with tokenizer.json (and tokenizer_config.json, chat_template.jinja).")
        Path tokenizer;

        @Option(names = "--model", paramLabel = "DIR", required = true, description = "A Hugging Face model directory.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--input", paramLabel = "FILE", required = true, description = "The JSONL file of texts and conversations; - for standard input.")
    String input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the answer lines (JSONL; default: standard output).")
    Path output;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "hf", description = "The model format plugin (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        Path dir = source.tokenizer != null ? source.tokenizer : source.model;
        ModelFormat fmt;
        try {
            fmt = PluginRegistry.discover().named(ModelFormat.class, format);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--format", "--format " + e.getMessage());
        }
        if (!Files.isDirectory(dir)) throw new ConfigException("", dir + " is not a directory");
        List<String> lines = readLines();
        String where = input.equals("-") ? "standard input" : input;
        List<String> answers = new ArrayList<>(lines.size());
        try (Tokenizer tok = fmt.openTokenizer(dir)) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                answers.add(JSON.writeValueAsString(answer(tok, lines.get(i), where + ":" + (i + 1))));
            }
        }
        // nothing is written until every line is answered: a bad line leaves no partial output
        if (output == null) {
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8); // UTF-8 whatever the locale
            for (String a : answers) out.print(a + "\n");
            out.flush();
        } else {
            try (Writer w = newWriter(output)) {
                for (String a : answers) w.write(a + "\n");
            }
            System.err.println("rlvr4j: " + answers.size() + " lines -> " + output);
        }
        return 0;
    }

    private List<String> readLines() throws IOException {
        if (input.equals("-")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return r.lines().toList();
        }
        Path file = Path.of(input);
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static Writer newWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** {@return the answer line of one input line} */
    static ObjectNode answer(Tokenizer tok, String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DataException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) throw new DataException(where + ": expected a JSON object");
        ObjectNode out = o.deepCopy();
        String text;
        if (o.hasNonNull("messages")) {
            if (o.has("text")) throw new DataException(where + ": give either \"text\" or \"messages\", not both");
            JsonNode gen = o.get("add_generation_prompt");
            if (gen != null && !gen.isBoolean()) throw new DataException(where + ": add_generation_prompt must be true or false");
            JsonNode kwargs = o.get("chat_template_kwargs");
            if (kwargs != null && !kwargs.isObject()) throw new DataException(where + ": chat_template_kwargs must be an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = kwargs == null ? Map.of() : JSON.convertValue(kwargs, Map.class);
            try {
                text = tok.applyChatTemplate(messages(o.get("messages"), where), gen == null || gen.asBoolean(), vars);
            } catch (ConfigException e) {
                throw new DataException(where + ": " + e.getMessage());
            }
            out.put("rendered", text);
        } else if (o.hasNonNull("text")) {
            if (!o.get("text").isTextual()) throw new DataException(where + ": \"text\" must be a string");
            text = o.get("text").asText();
        } else {
            throw new DataException(where + ": give \"text\" (a string) or \"messages\" (a list of {role, content})");
        }
        ArrayNode ids = out.putArray("ids");
        for (int id : tok.encode(text)) ids.add(id);
        return out;
    }

    private static List<ChatMessage> messages(JsonNode node, String where) {
        if (!node.isArray() || node.isEmpty()) throw new DataException(where + ": \"messages\" must be a non-empty list of {role, content}");
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new DataException(where + ": messages[" + i + "] must be {\"role\": string, \"content\": string}");
            }
            out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return out;
    }
}
