package io.rlvr4j.backend.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.config.ConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The architecture of a Hugging Face decoder-only model of the families rlvr4j implements, read from
 * its {@code config.json}. They share one shape (RMSNorm, rotary embeddings, grouped-query attention,
 * a SwiGLU MLP) and differ in a few switches:
 *
 * <table>
 *   <caption>families</caption>
 *   <tr><th>{@code model_type}</th><th>q/k/v bias</th><th>q/k RMSNorm per head</th><th>{@code head_dim}</th></tr>
 *   <tr><td>{@code qwen2}</td><td>yes</td><td>no</td><td>hidden / heads</td></tr>
 *   <tr><td>{@code qwen3}</td><td>no ({@code attention_bias: true} refused)</td><td>yes</td><td>{@code head_dim} (else hidden / heads)</td></tr>
 *   <tr><td>{@code llama}</td><td>no ({@code attention_bias: true} refused)</td><td>no</td><td>{@code head_dim} (else hidden / heads)</td></tr>
 * </table>
 *
 * <p>Required keys: {@code model_type}, {@code vocab_size}, {@code hidden_size}, {@code intermediate_size},
 * {@code num_hidden_layers}, {@code num_attention_heads}. The others take {@code transformers}'
 * defaults: {@code num_key_value_heads} = the number of attention heads, {@code rms_norm_eps} 1e-6,
 * {@code rope_theta} 10000, {@code max_position_embeddings} 32768, {@code tie_word_embeddings} false,
 * {@code initializer_range} 0.02. Rotary embeddings follow {@code rope_scaling} or transformers 5's
 * {@code rope_parameters} ({@link Rope}). What the backends do not implement is refused with the file,
 * the key and the reason, never ignored: another {@code model_type}, an activation other than SiLU,
 * sliding-window attention, {@code mlp_bias}, an unknown rope type.
 *
 * @param modelType the family: {@code qwen2}, {@code qwen3} or {@code llama}
 * @param vocabSize rows of the embedding and of the output head
 * @param hiddenSize the model width
 * @param intermediateSize the width of the SwiGLU MLP
 * @param numLayers decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention; divides {@code numHeads})
 * @param headDim width of one head
 * @param attentionBias whether the q, k and v projections have biases
 * @param qkNorm whether queries and keys get an RMSNorm over each head before the rotary embedding
 * @param rmsNormEps epsilon of every RMSNorm
 * @param rope the rotary embedding
 * @param maxPositionEmbeddings the longest context the model was trained for
 * @param tieWordEmbeddings whether the output head shares the embedding matrix
 * @param initializerRange the standard deviation of weight initialisation
 * @param eosTokenIds the end-of-sequence ids ({@code eos_token_id}, int or list), possibly empty
 * @param bosTokenId the beginning-of-sequence id, if any
 * @param json the whole file, written back unchanged by {@code save}
 */
public record DecoderConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                            int numKvHeads, int headDim, boolean attentionBias, boolean qkNorm, double rmsNormEps, Rope rope,
                            int maxPositionEmbeddings, boolean tieWordEmbeddings, double initializerRange, int[] eosTokenIds,
                            OptionalInt bosTokenId, JsonObject json) {

    /** The families, by {@code model_type}. */
    public static final java.util.List<String> MODEL_TYPES = java.util.List.of("qwen2", "qwen3", "llama");

    public DecoderConfig {
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads ("
                    + numKvHeads + ")");
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("the head width must be even for rotary embeddings, but is " + headDim);
        eosTokenIds = eosTokenIds.clone();
    }

    /** {@return the configuration in {@code modelDir/config.json}} */
    public static DecoderConfig read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        JsonObject o = JsonFiles.readObject(file);
        String modelType = JsonFiles.string(o, "model_type", null);
        if (modelType == null) throw JsonFiles.missing(file, "model_type", "one of " + String.join(", ", MODEL_TYPES));
        modelType = modelType.toLowerCase(Locale.ROOT);
        if (!MODEL_TYPES.contains(modelType)) {
            throw new ConfigException("", file + ": model_type = \"" + modelType + "\" — rlvr4j's backends implement the model families "
                    + String.join(", ", MODEL_TYPES) + " (Qwen2/Qwen2.5, Qwen3, Llama 3.x and models of their architecture)");
        }
        String act = JsonFiles.string(o, "hidden_act", "silu");
        if (!act.equals("silu")) throw JsonFiles.invalid(file, "hidden_act", act, "only \"silu\" is implemented");
        if (JsonFiles.bool(o, "use_sliding_window", false)) {
            throw JsonFiles.invalid(file, "use_sliding_window", "true", "sliding-window attention is not implemented; every layer here attends to the "
                    + "whole context (set it to false if the model's contexts stay within sliding_window)");
        }
        if (JsonFiles.bool(o, "mlp_bias", false)) throw JsonFiles.invalid(file, "mlp_bias", "true", "MLP biases are not implemented");
        int hidden = requireInt(o, file, "hidden_size");
        int heads = requireInt(o, file, "num_attention_heads");
        int kvHeads = JsonFiles.integer(o, "num_key_value_heads", heads);
        boolean qwen2 = modelType.equals("qwen2");
        int headDim;
        if (o.has("head_dim") && !o.get("head_dim").isJsonNull()) {
            headDim = requireInt(o, file, "head_dim");
            if (qwen2 && headDim * heads != hidden) {
                throw JsonFiles.invalid(file, "head_dim", String.valueOf(headDim), "must equal hidden_size / num_attention_heads = " + hidden / heads
                        + " in a qwen2 model");
            }
        } else {
            if (hidden % heads != 0) throw JsonFiles.invalid(file, "hidden_size", String.valueOf(hidden), "must be a multiple of num_attention_heads (" + heads + ")");
            headDim = hidden / heads;
        }
        if (kvHeads < 1 || heads % kvHeads != 0) {
            throw JsonFiles.invalid(file, "num_key_value_heads", String.valueOf(kvHeads), "must divide num_attention_heads (" + heads + ")");
        }
        if (headDim % 2 != 0) throw JsonFiles.invalid(file, "head_dim", String.valueOf(headDim), "the head width must be even for rotary embeddings");
        if (o.has("partial_rotary_factor") && JsonFiles.number(o, "partial_rotary_factor", 1) != 1) {
            throw JsonFiles.invalid(file, "partial_rotary_factor", o.get("partial_rotary_factor").toString(), "partial rotary embeddings are not implemented");
        }
        int maxPositions = JsonFiles.integer(o, "max_position_embeddings", 32768);
        boolean bias = qwen2 || JsonFiles.bool(o, "attention_bias", false);
        // transformers gives o_proj a bias too where attention_bias is set (qwen3, llama); no released checkpoint of
        // these families has one, and the backends do not implement it
        if (bias && !qwen2) throw JsonFiles.invalid(file, "attention_bias", "true", "biases on the attention projections (o_proj's too) are not implemented for "
                + modelType);
        return new DecoderConfig(modelType,
                requireInt(o, file, "vocab_size"), hidden, requireInt(o, file, "intermediate_size"),
                requireInt(o, file, "num_hidden_layers"), heads, kvHeads, headDim, bias, modelType.equals("qwen3"),
                JsonFiles.number(o, "rms_norm_eps", 1e-6), Rope.read(o, file, headDim, maxPositions),
                maxPositions, JsonFiles.bool(o, "tie_word_embeddings", false),
                JsonFiles.number(o, "initializer_range", 0.02), ids(o.get("eos_token_id")), optionalId(o.get("bos_token_id")),
                o);
    }

    /** {@return the number of query heads that share one key/value head} */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** {@return the width of all query heads together (the input of {@code o_proj})} */
    public int queryWidth() {
        return numHeads * headDim;
    }

    /**
     * {@return the number of parameters of the causal language model}: embedding, per layer the
     * attention projections (with their biases and q/k norms where the family has them), the MLP and
     * two norms, the final norm, and the output head unless it is tied
     */
    public long parameterCount() {
        long h = hiddenSize;
        long attention = h * queryWidth() + 2 * h * keyValueWidth() + (long) queryWidth() * h
                + (attentionBias ? queryWidth() + 2L * keyValueWidth() : 0) + (qkNorm ? 2L * headDim : 0);
        long layer = attention + 3 * h * intermediateSize + 2 * h;
        long embedding = (long) vocabSize * h;
        return embedding + numLayers * layer + h + (tieWordEmbeddings ? 0 : embedding);
    }

    /** {@return the width of all key (or value) heads together} */
    public int keyValueWidth() {
        return numKvHeads * headDim;
    }

    private static int requireInt(JsonObject o, Path file, String key) {
        if (!o.has(key) || o.get(key).isJsonNull()) throw JsonFiles.missing(file, key, "an integer");
        JsonElement e = o.get(key);
        try {
            int v = e.getAsInt();
            if (v < 1) throw JsonFiles.invalid(file, key, e.toString(), "must be a positive integer");
            return v;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw JsonFiles.invalid(file, key, e.toString(), "expected an integer");
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


    @Override
    public String toString() {
        return "DecoderConfig[" + modelType + ", layers=" + numLayers + ", hidden=" + hiddenSize + ", heads=" + numHeads + "/" + numKvHeads
                + " of " + headDim + ", intermediate=" + intermediateSize + ", vocab=" + vocabSize + ", rope=" + rope.type()
                + ", eos=" + Arrays.toString(eosTokenIds) + "]";
    }
}
