package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} section: either an existing Hugging Face model directory ({@code path}) or a
 * fresh Qwen2 model with a character-level tokenizer ({@code init: fresh} and {@code architecture}),
 * whose {@code config.json} and tokenizer files this class writes.
 */
final class ModelSetup {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the initial weights come from. */
    enum Init { LOAD, FRESH }

    final Init init;
    final Path path;
    private final Map<String, Object> config;

    private ModelSetup(Init init, Path path, Map<String, Object> config) {
        this.init = init;
        this.path = path;
        this.config = config;
    }

    static ModelSetup from(Settings s) {
        Init init = s.choice("init", Init.class, s.has("path") ? Init.LOAD : Init.FRESH);
        if (init == Init.LOAD) {
            Path path = s.requirePath("path");
            if (!Files.isRegularFile(path.resolve("config.json"))) {
                throw s.invalid("path", "expected a Hugging Face model directory with config.json, tokenizer.json and *.safetensors");
            }
            return new ModelSetup(init, path, null);
        }
        String tokenizer = s.string("tokenizer", "ascii-chars");
        if (!tokenizer.equals("ascii-chars")) {
            throw s.invalid("tokenizer", "a fresh model supports the built-in tokenizer 'ascii-chars' only; "
                    + "to use another tokenizer, give model.path to a model directory");
        }
        Settings a = s.section("architecture");
        CharTokenizer tok = CharTokenizer.printableAscii();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architectures", List.of("Qwen2ForCausalLM"));
        cfg.put("model_type", "qwen2");
        cfg.put("torch_dtype", "float32");
        cfg.put("vocab_size", tok.vocabularySize());
        cfg.put("hidden_size", positive(a, "hidden_size", 128));
        cfg.put("intermediate_size", positive(a, "intermediate_size", 384));
        cfg.put("num_hidden_layers", positive(a, "num_hidden_layers", 4));
        int heads = positive(a, "num_attention_heads", 4);
        int kvHeads = positive(a, "num_key_value_heads", 2);
        if (heads % kvHeads != 0) throw a.invalid("num_key_value_heads", "must divide num_attention_heads (" + heads + ")");
        if ((int) cfg.get("hidden_size") % heads != 0) throw a.invalid("num_attention_heads", "must divide hidden_size");
        cfg.put("num_attention_heads", heads);
        cfg.put("num_key_value_heads", kvHeads);
        cfg.put("hidden_act", "silu");
        cfg.put("max_position_embeddings", positive(a, "max_position_embeddings", 512));
        cfg.put("rms_norm_eps", a.number("rms_norm_eps", 1e-6));
        cfg.put("rope_theta", a.number("rope_theta", 10000.0));
        cfg.put("tie_word_embeddings", a.flag("tie_word_embeddings", true));
        cfg.put("initializer_range", a.number("initializer_range", 0.02));
        cfg.put("attention_dropout", 0.0);
        cfg.put("use_sliding_window", false);
        cfg.put("bos_token_id", tok.padId());
        cfg.put("eos_token_id", tok.eosId());
        return new ModelSetup(init, null, cfg);
    }

    private static int positive(Settings s, String key, int def) {
        int v = s.integer(key, def);
        if (v < 1) throw s.invalid(key, "must be >= 1");
        return v;
    }

    /** Writes {@code config.json} and the tokenizer of a fresh model into {@code dir}. */
    void writeFreshFiles(Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("config.json").toFile(), config);
            CharTokenizer.printableAscii().write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fresh model's files to " + dir, e);
        }
    }
}
