package io.rlvr4j.backend.hf;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's Rust tokenizer bindings: encodes without adding
 * special tokens (added tokens that appear literally in the text, such as {@code <|im_start|>}, are
 * still recognised) and decodes skipping special tokens.
 *
 * <p>The end-of-sequence token is {@code eos_token} of {@code tokenizer_config.json}, else the first
 * {@code eos_token_id} of {@code config.json}, else of {@code generation_config.json}; the padding
 * token is {@code pad_token} of {@code tokenizer_config.json}, else {@code pad_token_id} of
 * {@code generation_config.json}.
 *
 * <p>Thread-safe (the native tokenizer is immutable once built). Closed by the sampler that owns it.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;
    private final OptionalInt eos;
    private final OptionalInt pad;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabularySize, OptionalInt eos, OptionalInt pad) {
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
        this.eos = eos;
        this.pad = pad;
    }

    /** {@return the tokenizer of the model in {@code modelDir}} */
    public static HfTokenizer open(Path modelDir, Qwen2Config config) {
        Path file = modelDir.resolve("tokenizer.json");
        JsonObject json = JsonFiles.readObject(file);
        Map<String, Integer> ids = tokenIds(json);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        JsonObject tokConfig = JsonFiles.readOptional(modelDir.resolve("tokenizer_config.json"));
        JsonObject genConfig = JsonFiles.readOptional(modelDir.resolve("generation_config.json"));
        OptionalInt eos = special(tokConfig, "eos_token", ids, modelDir);
        if (eos.isEmpty() && config.eosTokenIds().length > 0) eos = OptionalInt.of(config.eosTokenIds()[0]);
        if (eos.isEmpty()) eos = firstId(genConfig, "eos_token_id");
        OptionalInt pad = special(tokConfig, "pad_token", ids, modelDir);
        if (pad.isEmpty()) pad = firstId(genConfig, "pad_token_id");
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HfTokenizer(t, size, eos, pad);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file, e);
        } catch (RuntimeException e) {
            throw new ConfigException("", file + " could not be loaded as a Hugging Face tokenizer: " + e.getMessage());
        }
    }

    @Override
    public int[] encode(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return tokenizer.decode(l, true);
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
        if (tokConfig == null || !tokConfig.has(key) || tokConfig.get(key).isJsonNull()) return OptionalInt.empty();
        JsonElement e = tokConfig.get(key);
        String content = e.isJsonObject() ? e.getAsJsonObject().get("content").getAsString() : e.getAsString();
        Integer id = ids.get(content);
        if (id == null) {
            throw new ConfigException("", modelDir.resolve("tokenizer_config.json") + ": " + key + " = \"" + content
                    + "\" is not a token of tokenizer.json");
        }
        return OptionalInt.of(id);
    }

    private static OptionalInt firstId(JsonObject o, String key) {
        if (o == null || !o.has(key) || o.get(key).isJsonNull()) return OptionalInt.empty();
        JsonElement e = o.get(key);
        if (e.isJsonArray()) return e.getAsJsonArray().isEmpty() ? OptionalInt.empty() : OptionalInt.of(e.getAsJsonArray().get(0).getAsInt());
        return OptionalInt.of(e.getAsInt());
    }
}
