package io.rlvr4j.backend.hf;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's Rust tokenizer bindings, with the special tokens
 * and chat template of {@code tokenizer_config.json}.
 *
 * <p>{@link #encode} adds no special tokens (added tokens that appear literally in the text, such as
 * {@code <|im_start|>}, are still recognised), as {@code apply_chat_template} encodes a rendered prompt;
 * {@link #encodeWithSpecialTokens} runs the tokenizer's post-processor and puts {@code bos_token} first
 * where {@code add_bos_token} is true (and {@code eos_token} last where {@code add_eos_token} is), as
 * transformers' fast Llama tokenizers do; {@link #decode} skips special tokens.
 *
 * <p>The end-of-sequence token is {@code eos_token} of {@code tokenizer_config.json}, else the first
 * {@code eos_token_id} of {@code config.json}, else of {@code generation_config.json}; generation stops
 * on it and on every {@code eos_token_id} of {@code generation_config.json} and {@code config.json}
 * ({@link #stopTokenIds()}). The padding token is {@code pad_token} of {@code tokenizer_config.json},
 * else {@code pad_token_id} of {@code generation_config.json}. The chat template is {@link ChatTemplate#read}'s.
 *
 * <p>Thread-safe (the native tokenizer is immutable once built). Closed by the sampler that owns it.
 */
public final class HfTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final Path dir;
    private final int vocabularySize;
    private final OptionalInt eos;
    private final OptionalInt pad;
    private final OptionalInt addedBos;
    private final OptionalInt addedEos;
    private final Set<Integer> stops;
    private final Optional<ChatTemplate> template;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Path dir, int vocabularySize, OptionalInt eos, OptionalInt pad,
                        OptionalInt addedBos, OptionalInt addedEos, Set<Integer> stops, Optional<ChatTemplate> template) {
        this.tokenizer = tokenizer;
        this.dir = dir;
        this.vocabularySize = vocabularySize;
        this.eos = eos;
        this.pad = pad;
        this.addedBos = addedBos;
        this.addedEos = addedEos;
        this.stops = Set.copyOf(stops);
        this.template = template;
    }

    /** {@return the tokenizer of the model in {@code modelDir}, whose {@code config.json} is {@code config}} */
    public static HfTokenizer open(Path modelDir, DecoderConfig config) {
        HfTokenizer t = open(modelDir, config.eosTokenIds());
        if (t.vocabularySize > config.vocabSize()) {
            t.close();
            throw new ConfigException("", modelDir.resolve("tokenizer.json") + " has token ids up to " + (t.vocabularySize - 1)
                    + ", but " + modelDir.resolve("config.json") + " has vocab_size = " + config.vocabSize()
                    + ": the tokenizer does not belong to this model (vocab_size must exceed every token id)");
        }
        return t;
    }

    /**
     * {@return the tokenizer in {@code dir}}: {@code tokenizer.json} with {@code tokenizer_config.json},
     * {@code generation_config.json} and {@code config.json} where present (a directory of tokenizer
     * files alone will do)
     */
    public static HfTokenizer open(Path dir) {
        JsonObject config = JsonFiles.readOptional(dir.resolve("config.json"));
        return open(dir, config == null ? new int[0] : DecoderConfig.ids(config.get("eos_token_id")));
    }

    private static HfTokenizer open(Path modelDir, int[] configEos) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("", file + " is missing: rlvr4j reads the Hugging Face tokenizers format (tokenizer.json)");
        }
        JsonObject json = JsonFiles.readObject(file);
        Map<String, Integer> ids = tokenIds(json);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        JsonObject tokConfig = JsonFiles.readOptional(modelDir.resolve("tokenizer_config.json"));
        JsonObject genConfig = JsonFiles.readOptional(modelDir.resolve("generation_config.json"));
        OptionalInt eos = special(tokConfig, "eos_token", ids, modelDir);
        if (eos.isEmpty() && configEos.length > 0) eos = OptionalInt.of(configEos[0]);
        int[] genEos = genConfig == null ? new int[0] : DecoderConfig.ids(genConfig.get("eos_token_id"));
        if (eos.isEmpty() && genEos.length > 0) eos = OptionalInt.of(genEos[0]);
        OptionalInt pad = special(tokConfig, "pad_token", ids, modelDir);
        if (pad.isEmpty()) pad = firstId(genConfig, "pad_token_id");
        OptionalInt bos = special(tokConfig, "bos_token", ids, modelDir);
        OptionalInt addedBos = flag(tokConfig, "add_bos_token") ? bos : OptionalInt.empty();
        OptionalInt addedEos = flag(tokConfig, "add_eos_token") ? eos : OptionalInt.empty();
        Set<Integer> stops = new LinkedHashSet<>();
        eos.ifPresent(stops::add);
        for (int id : genEos) stops.add(id);
        for (int id : configEos) stops.add(id);
        Optional<ChatTemplate> template = ChatTemplate.read(modelDir, tokConfig);
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HfTokenizer(t, modelDir, size, eos, pad, addedBos, addedEos, stops, template);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file, e);
        } catch (RuntimeException e) {
            throw new ConfigException("", file + " could not be loaded as a Hugging Face tokenizer: " + e.getMessage());
        }
    }

    @Override
    public int[] encode(String text) {
        return ids(tokenizer.encode(text, false, false));
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        int[] ids = ids(tokenizer.encode(text, true, false));
        if (addedBos.isPresent() && (ids.length == 0 || ids[0] != addedBos.getAsInt())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = addedBos.getAsInt();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            ids = withBos;
        }
        if (addedEos.isPresent() && (ids.length == 0 || ids[ids.length - 1] != addedEos.getAsInt())) {
            ids = java.util.Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = addedEos.getAsInt();
        }
        return ids;
    }

    private static int[] ids(Encoding e) {
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    /** {@return the text of {@code ids}}, special tokens written out unless {@code skipSpecialTokens} */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return tokenizer.decode(l, skipSpecialTokens);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public OptionalInt eosTokenId() {
        return eos;
    }

    @Override
    public OptionalInt padTokenId() {
        return pad;
    }

    @Override
    public Set<Integer> stopTokenIds() {
        return stops;
    }

    @Override
    public boolean hasChatTemplate() {
        return template.isPresent();
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        ChatTemplate t = template.orElseThrow(() -> new ConfigException("", dir + " has no chat template (neither "
                + ChatTemplate.TEMPLATE_FILE + " nor chat_template in tokenizer_config.json): give the prompts as plain text "
                + "with prompt.chat_template: false, or add a template to the model directory"));
        return t.render(messages, addGenerationPrompt, variables);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** {@return every token string of {@code tokenizer.json} with its id: the model's vocabulary and the added tokens} */
    private static Map<String, Integer> tokenIds(JsonObject json) {
        Map<String, Integer> ids = new HashMap<>();
        JsonObject model = json.has("model") && json.get("model").isJsonObject() ? json.getAsJsonObject("model") : new JsonObject();
        JsonElement vocab = model.get("vocab");
        if (vocab != null && vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) ids.put(e.getKey(), e.getValue().getAsInt());
        } else if (vocab != null && vocab.isJsonArray()) { // Unigram: [[piece, score], ...]
            JsonArray a = vocab.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) ids.put(a.get(i).getAsJsonArray().get(0).getAsString(), i);
        }
        if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
            for (JsonElement e : json.getAsJsonArray("added_tokens")) {
                JsonObject t = e.getAsJsonObject();
                ids.put(t.get("content").getAsString(), t.get("id").getAsInt());
            }
        }
        return ids;
    }

    private static OptionalInt special(JsonObject tokConfig, String key, Map<String, Integer> ids, Path modelDir) {
        String content = tokConfig == null ? null : ChatTemplate.tokenContent(tokConfig.get(key));
        if (content == null) return OptionalInt.empty();
        Integer id = ids.get(content);
        if (id == null) {
            throw new ConfigException("", modelDir.resolve("tokenizer_config.json") + ": " + key + " = \"" + content
                    + "\" is not a token of tokenizer.json");
        }
        return OptionalInt.of(id);
    }

    private static boolean flag(JsonObject o, String key) {
        return o != null && o.has(key) && o.get(key).isJsonPrimitive() && o.get(key).getAsBoolean();
    }

    private static OptionalInt firstId(JsonObject o, String key) {
        int[] ids = o == null ? new int[0] : DecoderConfig.ids(o.get(key));
        return ids.length == 0 ? OptionalInt.empty() : OptionalInt.of(ids[0]);
    }
}
