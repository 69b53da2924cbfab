package io.rlvr4j.backend.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.config.ConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The architecture of a Hugging Face Qwen2 model, read from its {@code config.json}.
 *
 * <p>Required keys: {@code model_type} (must be {@code qwen2}), {@code vocab_size}, {@code hidden_size},
 * {@code intermediate_size}, {@code num_hidden_layers}, {@code num_attention_heads}. The others take
 * the defaults of {@code transformers.Qwen2Config}: {@code num_key_value_heads} = the number of
 * attention heads, {@code rms_norm_eps} 1e-6, {@code rope_theta} 10000, {@code max_position_embeddings}
 * 32768, {@code tie_word_embeddings} false, {@code initializer_range} 0.02. Features the backends do
 * not implement ({@code rope_scaling}, sliding-window attention, an activation other than SiLU) are
 * rejected with a message instead of being silently ignored.
 *
 * @param vocabSize rows of the embedding and of the output head
 * @param hiddenSize the model width
 * @param intermediateSize the width of the SwiGLU MLP
 * @param numLayers decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention; divides {@code numHeads})
 * @param headDim width of one head ({@code hidden_size / num_attention_heads})
 * @param rmsNormEps epsilon of every RMSNorm
 * @param ropeTheta the rotary embedding base
 * @param maxPositionEmbeddings the longest context the model was trained for
 * @param tieWordEmbeddings whether the output head shares the embedding matrix
 * @param initializerRange the standard deviation of weight initialisation
 * @param eosTokenIds the end-of-sequence ids ({@code eos_token_id}, int or list), possibly empty
 * @param bosTokenId the beginning-of-sequence id, if any
 * @param json the whole file, written back unchanged by {@code save}
 */
public record Qwen2Config(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                   int headDim, double rmsNormEps, double ropeTheta, int maxPositionEmbeddings,
                   boolean tieWordEmbeddings, double initializerRange, int[] eosTokenIds, OptionalInt bosTokenId,
                   JsonObject json) {

    public Qwen2Config {
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads ("
                    + numKvHeads + ")");
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("the head width must be even for rotary embeddings, but is " + headDim);
        eosTokenIds = eosTokenIds.clone();
    }

    /** {@return the configuration in {@code modelDir/config.json}} */
    public static Qwen2Config read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        JsonObject o = JsonFiles.readObject(file);
        String modelType = JsonFiles.string(o, "model_type", null);
        if (modelType == null) throw JsonFiles.missing(file, "model_type", "\"qwen2\"");
        if (!modelType.equals("qwen2")) {
            throw new ConfigException("", file + ": model_type = \"" + modelType
                    + "\" — rlvr4j's backends implement the Qwen2 architecture only (model_type \"qwen2\")");
        }
        String act = JsonFiles.string(o, "hidden_act", "silu");
        if (!act.equals("silu")) throw invalid(file, "hidden_act", act, "only \"silu\" is implemented");
        if (o.has("rope_scaling") && !o.get("rope_scaling").isJsonNull()) {
            throw invalid(file, "rope_scaling", o.get("rope_scaling").toString(), "rope scaling is not implemented; remove it or set it to null");
        }
        if (JsonFiles.bool(o, "use_sliding_window", false)) {
            throw invalid(file, "use_sliding_window", "true", "sliding-window attention is not implemented");
        }
        int hidden = requireInt(o, file, "hidden_size");
        int heads = requireInt(o, file, "num_attention_heads");
        int kvHeads = JsonFiles.integer(o, "num_key_value_heads", heads);
        if (hidden % heads != 0) throw invalid(file, "hidden_size", String.valueOf(hidden), "must be a multiple of num_attention_heads (" + heads + ")");
        int headDim = hidden / heads;
        if (o.has("head_dim") && !o.get("head_dim").isJsonNull() && o.get("head_dim").getAsInt() != headDim) {
            throw invalid(file, "head_dim", o.get("head_dim").toString(), "must equal hidden_size / num_attention_heads = " + headDim);
        }
        if (kvHeads < 1 || heads % kvHeads != 0) {
            throw invalid(file, "num_key_value_heads", String.valueOf(kvHeads), "must divide num_attention_heads (" + heads + ")");
        }
        if (headDim % 2 != 0) throw invalid(file, "hidden_size", String.valueOf(hidden), "the head width must be even for rotary embeddings");
        return new Qwen2Config(
                requireInt(o, file, "vocab_size"), hidden, requireInt(o, file, "intermediate_size"),
                requireInt(o, file, "num_hidden_layers"), heads, kvHeads, headDim,
                JsonFiles.number(o, "rms_norm_eps", 1e-6), JsonFiles.number(o, "rope_theta", 10000),
                JsonFiles.integer(o, "max_position_embeddings", 32768), JsonFiles.bool(o, "tie_word_embeddings", false),
                JsonFiles.number(o, "initializer_range", 0.02), ids(o.get("eos_token_id")), optionalId(o.get("bos_token_id")),
                o);
    }

    /** {@return the number of query heads that share one key/value head} */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    private static int requireInt(JsonObject o, Path file, String key) {
        if (!o.has(key) || o.get(key).isJsonNull()) throw JsonFiles.missing(file, key, "an integer");
        JsonElement e = o.get(key);
        try {
            int v = e.getAsInt();
            if (v < 1) throw invalid(file, key, e.toString(), "must be a positive integer");
            return v;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw invalid(file, key, e.toString(), "expected an integer");
        }
    }

    static int[] ids(JsonElement e) {
        if (e == null || e.isJsonNull()) return new int[0];
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
            return out;
        }
        return new int[] {e.getAsInt()};
    }

    private static OptionalInt optionalId(JsonElement e) {
        int[] ids = ids(e);
        return ids.length == 0 ? OptionalInt.empty() : OptionalInt.of(ids[0]);
    }

    private static ConfigException invalid(Path file, String key, String value, String rule) {
        return new ConfigException("", file + ": " + key + " = " + value + " — " + rule);
    }

    @Override
    public String toString() {
        return "Qwen2Config[layers=" + numLayers + ", hidden=" + hiddenSize + ", heads=" + numHeads + "/" + numKvHeads
                + ", intermediate=" + intermediateSize + ", vocab=" + vocabSize + ", eos=" + Arrays.toString(eosTokenIds) + "]";
    }
}
