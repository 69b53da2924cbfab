package io.rlvr4j.backend.hf.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.AtomicFiles;
import java.nio.file.Path;

/**
 * The fresh model a run can start from ({@code model.init: fresh}): a Qwen2 decoder of the
 * {@code architecture} keys (defaults: hidden 128, intermediate 384, 4 layers, 4 heads sharing 2
 * key/value heads, 512 positions, rope theta 10000, RMSNorm eps 1e-6, tied head, initializer range
 * 0.02) over the character-level tokenizer {@code ascii-chars} ({@link CharTokenizer}). Its weights
 * are the backend's random initialisation; this writes {@code config.json} and the tokenizer files.
 */
final class FreshDecoder implements ModelFormat.FreshModel {

    private final JsonObject config;

    private FreshDecoder(JsonObject config) {
        this.config = config;
    }

    /** Reads and validates the {@code model} section's {@code tokenizer} and {@code architecture}. */
    static FreshDecoder read(Settings s) {
        String tokenizer = s.string("tokenizer", "ascii-chars");
        if (!tokenizer.equals("ascii-chars")) {
            throw s.invalid("tokenizer", "a fresh model supports the built-in tokenizer 'ascii-chars' only; "
                    + "to use another tokenizer, give model.path to a model directory");
        }
        Settings a = s.section("architecture");
        CharTokenizer tok = CharTokenizer.printableAscii();
        JsonObject c = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("Qwen2ForCausalLM");
        c.add("architectures", architectures);
        c.addProperty("model_type", "qwen2");
        c.addProperty("torch_dtype", "float32");
        c.addProperty("vocab_size", tok.vocabularySize());
        int hidden = positive(a, "hidden_size", 128);
        c.addProperty("hidden_size", hidden);
        c.addProperty("intermediate_size", positive(a, "intermediate_size", 384));
        c.addProperty("num_hidden_layers", positive(a, "num_hidden_layers", 4));
        int heads = positive(a, "num_attention_heads", 4);
        int kvHeads = positive(a, "num_key_value_heads", 2);
        if (heads % kvHeads != 0) throw a.invalid("num_key_value_heads", "must divide num_attention_heads (" + heads + ")");
        if (hidden % heads != 0) throw a.invalid("num_attention_heads", "must divide hidden_size");
        c.addProperty("num_attention_heads", heads);
        c.addProperty("num_key_value_heads", kvHeads);
        c.addProperty("hidden_act", "silu");
        c.addProperty("max_position_embeddings", positive(a, "max_position_embeddings", 512));
        c.addProperty("rms_norm_eps", a.number("rms_norm_eps", 1e-6));
        c.addProperty("rope_theta", a.number("rope_theta", 10000.0));
        c.addProperty("tie_word_embeddings", a.flag("tie_word_embeddings", true));
        c.addProperty("initializer_range", a.number("initializer_range", 0.02));
        c.addProperty("attention_dropout", 0.0);
        c.addProperty("use_sliding_window", false);
        c.addProperty("bos_token_id", tok.padId());
        c.addProperty("eos_token_id", tok.eosId());
        return new FreshDecoder(c);
    }

    private static int positive(Settings s, String key, int def) {
        int v = s.integer(key, def);
        if (v < 1) throw s.invalid(key, "must be >= 1");
        return v;
    }

    @Override
    public void writeFiles(Path dir) {
        AtomicFiles.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n");
        CharTokenizer.printableAscii().write(dir);
    }
}
