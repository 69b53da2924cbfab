package io.rlvr4j.backend.hf;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A model's chat template, rendered as Hugging Face {@code tokenizer.apply_chat_template(messages,
 * tokenize=False, add_generation_prompt=…)} renders it.
 *
 * <p>The template is the file {@code chat_template.jinja} of the model directory when there is one
 * (transformers 4.43 and later save it so), else {@code chat_template} of {@code tokenizer_config.json}
 * (a string, or a list of named templates of which {@code default} is taken), else {@code chat_template}
 * of {@code chat_template.json}. It is rendered by Hugging Face's own Jinja implementation,
 * {@code @huggingface/jinja} {@value #JINJA_VERSION} (the renderer of transformers.js, vendored
 * unchanged), in GraalJS: the choice and its measurement are in {@code docs/chat-templates.md}. The
 * template sees what transformers passes it: {@code messages} (each {@code {role, content}}),
 * {@code add_generation_prompt}, {@code tools} and {@code documents} ({@code none}), the special
 * tokens of {@code tokenizer_config.json} as strings ({@code bos_token}, {@code eos_token},
 * {@code unk_token}, {@code sep_token}, {@code pad_token}, {@code cls_token}, {@code mask_token},
 * {@code additional_special_tokens}), the caller's extra variables (such as Qwen3's
 * {@code enable_thinking}), and the globals {@code raise_exception}, {@code strftime_now},
 * {@code namespace} and {@code range}, with {@code trim_blocks} and {@code lstrip_blocks} on.
 *
 * <p>A template that does not parse, uses a construct the renderer does not know, or calls
 * {@code raise_exception} fails with a {@link ConfigException} naming the file and the cause; no
 * prompt is ever rendered differently in silence.
 *
 * <p>Thread-safe: every template of the JVM renders in one sandboxed GraalJS context (no host access,
 * no files, no threads), one render at a time; the context starts on the first render (about 2 s).
 */
public final class ChatTemplate {

    /** The version of {@code @huggingface/jinja} that renders templates. */
    public static final String JINJA_VERSION = "0.5.13";

    /** The template file of newer checkpoints. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    private static final List<String> SPECIAL_TOKEN_KEYS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final String source;
    private final String origin;
    private final JsonObject specialTokens;

    private ChatTemplate(String source, String origin, JsonObject specialTokens) {
        this.source = source;
        this.origin = origin;
        this.specialTokens = specialTokens;
    }

    /**
     * {@return the chat template of {@code modelDir}, if it has one}
     *
     * @param tokenizerConfig {@code tokenizer_config.json}, or {@code null} when there is none
     */
    public static Optional<ChatTemplate> read(Path modelDir, JsonObject tokenizerConfig) {
        JsonObject specials = specialTokens(tokenizerConfig);
        Path file = modelDir.resolve(TEMPLATE_FILE);
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(new ChatTemplate(Files.readString(file, StandardCharsets.UTF_8), file.toString(), specials));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        Path config = modelDir.resolve("tokenizer_config.json");
        Optional<String> fromConfig = templateIn(tokenizerConfig, config);
        if (fromConfig.isPresent()) return Optional.of(new ChatTemplate(fromConfig.get(), config + " (chat_template)", specials));
        Path json = modelDir.resolve("chat_template.json");
        if (Files.isRegularFile(json)) {
            Optional<String> t = templateIn(JsonFiles.readObject(json), json);
            if (t.isPresent()) return Optional.of(new ChatTemplate(t.get(), json + " (chat_template)", specials));
        }
        return Optional.empty();
    }

    /** {@return a template from its text, with the special tokens of {@code tokenizerConfig} (may be null)} */
    public static ChatTemplate of(String source, String origin, JsonObject tokenizerConfig) {
        return new ChatTemplate(source, origin, specialTokens(tokenizerConfig));
    }

    /** {@return where the template was read from, for messages} */
    public String origin() {
        return origin;
    }

    /**
     * Renders {@code messages}.
     *
     * @param addGenerationPrompt whether to end with the opening of an assistant turn
     * @param variables further template variables (e.g. {@code enable_thinking: false}); they override
     *     the special tokens, not {@code messages} or {@code add_generation_prompt}
     * @throws ConfigException when the template cannot be rendered, naming {@link #origin()} and why
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        JsonObject args = specialTokens.deepCopy();
        args.add("tools", null);
        args.add("documents", null);
        for (Map.Entry<String, ?> e : variables.entrySet()) args.add(e.getKey(), GSON.toJsonTree(e.getValue()));
        JsonArray ms = new JsonArray();
        for (ChatMessage m : messages) {
            JsonObject o = new JsonObject();
            o.addProperty("role", m.role());
            o.addProperty("content", m.content());
            ms.add(o);
        }
        args.add("messages", ms);
        args.addProperty("add_generation_prompt", addGenerationPrompt);
        return Renderer.render(this, GSON.toJson(args));
    }

    /** Checks that the template parses, without rendering it. */
    public void check() {
        Renderer.compile(this);
    }

    private static Optional<String> templateIn(JsonObject o, Path file) {
        if (o == null || !o.has("chat_template") || o.get("chat_template").isJsonNull()) return Optional.empty();
        JsonElement t = o.get("chat_template");
        if (t.isJsonPrimitive() && t.getAsJsonPrimitive().isString()) return Optional.of(t.getAsString());
        if (t.isJsonArray()) { // [{name, template}, …]: transformers takes the one named "default"
            for (JsonElement e : t.getAsJsonArray()) {
                if (e.isJsonObject() && "default".equals(JsonFiles.string(e.getAsJsonObject(), "name", null))) {
                    return Optional.of(JsonFiles.string(e.getAsJsonObject(), "template", ""));
                }
            }
            throw new ConfigException("", file + ": chat_template is a list of named templates without one named \"default\"");
        }
        throw new ConfigException("", file + ": chat_template = " + abbreviate(t.toString()) + " — expected a string or a list of {name, template}");
    }

    /** The special tokens as transformers' {@code special_tokens_map} gives them to a template: their strings. */
    private static JsonObject specialTokens(JsonObject config) {
        JsonObject out = new JsonObject();
        if (config == null) return out;
        for (String key : SPECIAL_TOKEN_KEYS) {
            String content = tokenContent(config.get(key));
            if (content != null) out.addProperty(key, content);
        }
        JsonElement extra = config.get("additional_special_tokens");
        if (extra != null && extra.isJsonArray()) {
            JsonArray a = new JsonArray();
            for (JsonElement e : extra.getAsJsonArray()) {
                String c = tokenContent(e);
                if (c != null) a.add(c);
            }
            out.add("additional_special_tokens", a);
        }
        return out;
    }

    /** {@return the text of a special token: a string, or an {@code AddedToken} object's {@code content}; null if none} */
    static String tokenContent(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        if (e.isJsonPrimitive()) return e.getAsString();
        if (e.isJsonObject() && e.getAsJsonObject().has("content")) return e.getAsJsonObject().get("content").getAsString();
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The one GraalJS context of the JVM that holds {@code @huggingface/jinja} and the parsed templates. */
    private static final class Renderer {

        private static final Object LOCK = new Object();
        private static Context context;
        private static Value templateClass;
        private static Value parseJson;
        /** Parsed templates by their text; a run uses a handful. */
        private static final Map<String, Value> PARSED = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Value> eldest) {
                return size() > 64;
            }
        };

        static String render(ChatTemplate t, String argsJson) {
            synchronized (LOCK) {
                Value template = compile(t);
                try {
                    return template.invokeMember("render", parseJson.execute(argsJson)).asString();
                } catch (PolyglotException e) {
                    throw failure(t, "cannot be rendered", e);
                }
            }
        }

        static Value compile(ChatTemplate t) {
            synchronized (LOCK) {
                start();
                Value v = PARSED.get(t.source);
                if (v == null) {
                    try {
                        v = templateClass.newInstance(t.source);
                    } catch (PolyglotException e) {
                        throw failure(t, "does not parse", e);
                    }
                    PARSED.put(t.source, v);
                }
                return v;
            }
        }

        private static ConfigException failure(ChatTemplate t, String what, PolyglotException e) {
            if (e.isInternalError() || e.isHostException()) throw e;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new ConfigException("", "the chat template of " + t.origin + " " + what + " by @huggingface/jinja "
                    + JINJA_VERSION + ": " + message);
        }

        private static void start() {
            if (context != null) return;
            String library;
            try (InputStream in = ChatTemplate.class.getResourceAsStream("jinja/huggingface-jinja.cjs")) {
                if (in == null) throw new IllegalStateException("the rlvr4j jar lacks jinja/huggingface-jinja.cjs");
                library = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Context c = Context.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED)
                    .in(InputStream.nullInputStream()).out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                    .option("engine.WarnInterpreterOnly", "false").build();
            // the CommonJS build, evaluated as a function so that its exports come back as a value
            String wrapped = "(function () { const module = { exports: {} }; const exports = module.exports;\n" + library
                    + "\nreturn module.exports; })()";
            Value exports = c.eval(Source.newBuilder("js", wrapped, "huggingface-jinja.cjs").buildLiteral());
            templateClass = exports.getMember("Template");
            parseJson = c.eval("js", "(s) => JSON.parse(s)");
            context = c;
        }
    }
}
