package io.rlvr4j.backend.djl.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small Qwen2 model directories (config + character tokenizer) for tests. */
final class TinyModels {

    static final String CHARS = "\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    private TinyModels() {
    }

    /** A config with a character vocabulary of 96 + 4 special tokens (eos = 99 "<|im_end|>", pad = 97). */
    static Path write(Path dir, int layers, int hidden, int heads, int kvHeads, int intermediate) {
        try {
            Files.createDirectories(dir);
            JsonObject c = new JsonObject();
            c.addProperty("model_type", "qwen2");
            c.addProperty("vocab_size", 100);
            c.addProperty("hidden_size", hidden);
            c.addProperty("intermediate_size", intermediate);
            c.addProperty("num_hidden_layers", layers);
            c.addProperty("num_attention_heads", heads);
            c.addProperty("num_key_value_heads", kvHeads);
            c.addProperty("rms_norm_eps", 1e-6);
            c.addProperty("rope_theta", 10000.0);
            c.addProperty("max_position_embeddings", 512);
            c.addProperty("tie_word_embeddings", false);
            c.addProperty("initializer_range", 0.02);
            c.addProperty("eos_token_id", 99);
            Files.writeString(dir.resolve("config.json"), c.toString());
            JsonObject vocab = new JsonObject();
            for (int i = 0; i < CHARS.length(); i++) vocab.addProperty(String.valueOf(CHARS.charAt(i)), i);
            String[] specials = {"<unk>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"};
            JsonArray added = new JsonArray();
            for (int i = 0; i < specials.length; i++) {
                vocab.addProperty(specials[i], 96 + i);
                JsonObject t = new JsonObject();
                t.addProperty("id", 96 + i);
                t.addProperty("content", specials[i]);
                t.addProperty("single_word", false);
                t.addProperty("lstrip", false);
                t.addProperty("rstrip", false);
                t.addProperty("normalized", false);
                t.addProperty("special", true);
                added.add(t);
            }
            JsonObject model = new JsonObject();
            model.addProperty("type", "BPE");
            model.add("dropout", null);
            model.addProperty("unk_token", "<unk>");
            model.addProperty("fuse_unk", false);
            model.addProperty("byte_fallback", false);
            model.add("vocab", vocab);
            model.add("merges", new JsonArray());
            JsonObject decoder = new JsonObject();
            decoder.addProperty("type", "Fuse");
            JsonObject tok = new JsonObject();
            tok.addProperty("version", "1.0");
            tok.add("added_tokens", added);
            tok.add("decoder", decoder);
            tok.add("model", model);
            Files.writeString(dir.resolve("tokenizer.json"), tok.toString());
            JsonObject tc = new JsonObject();
            tc.addProperty("eos_token", "<|im_end|>");
            tc.addProperty("pad_token", "<|endoftext|>");
            Files.writeString(dir.resolve("tokenizer_config.json"), tc.toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DjlPolicy random(Path dir, ModelRole role, OptimizerSpec optimizer, long seed, Settings settings) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.RANDOM, role, optimizer, seed), settings);
    }
}
