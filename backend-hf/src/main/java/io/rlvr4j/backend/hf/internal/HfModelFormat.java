package io.rlvr4j.backend.hf.internal;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.ModelShape;
import io.rlvr4j.api.Tokenizer;
import java.util.Optional;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.DecoderConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.backend.hf.HfTokenizer;
import io.rlvr4j.backend.hf.JsonFiles;
import io.rlvr4j.backend.hf.Safetensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Hugging Face model directory: {@code config.json}, safetensors, {@code tokenizer.json} and its configuration. */
public final class HfModelFormat implements ModelFormat {

    @Override
    public String name() {
        return "hf";
    }

    @Override
    public String description() {
        return "Hugging Face model directories: config.json, safetensors, tokenizer.json, tokenizer_config.json and its chat template,"
                + " generation_config.json; fresh Qwen2 models over a character-level tokenizer";
    }

    @Override
    public Tokenizer openTokenizer(Path dir) {
        return HfTokenizer.open(dir);
    }

    /**
     * Reads {@code config.json} (the family and its keys), opens the tokenizer (ids within
     * {@code vocab_size}), renders the chat template once on a one-message conversation, and reads the
     * headers of the weight files (every shard the index lists present and well formed).
     */
    @Override
    public Optional<ModelShape> shape(Path dir) {
        DecoderConfig c = DecoderConfig.read(dir);
        return Optional.of(new ModelShape(c.parameterCount(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.queryWidth(), c.keyValueWidth(),
                c.intermediateSize()));
    }

    @Override
    public void check(Path dir) {
        DecoderConfig config = DecoderConfig.read(dir);
        try (HfTokenizer tokenizer = HfTokenizer.open(dir, config)) {
            if (tokenizer.hasChatTemplate()) tokenizer.applyChatTemplate(List.of(new ChatMessage("user", "1+1=?")), true, Map.of());
        }
        if (Safetensors.isCheckpoint(dir)) Safetensors.checkpointTensors(dir);
    }

    /** {@return the fresh decoder of {@code model}'s {@code tokenizer} and {@code architecture} keys} ({@link FreshDecoder}) */
    @Override
    public FreshModel fresh(Settings model) {
        return FreshDecoder.read(model);
    }

    /**
     * {@code temperature}, {@code top_p} and {@code top_k} of {@code generation_config.json} where its
     * {@code do_sample} is true; with {@code do_sample} false or absent {@code transformers} decodes
     * greedily and ignores them, and so does this (no defaults).
     */
    @Override
    public Map<String, Double> samplingDefaults(Path dir) {
        Path file = dir.resolve("generation_config.json");
        JsonObject o = JsonFiles.readOptional(file);
        if (o == null || !JsonFiles.bool(o, "do_sample", false)) return Map.of();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : new String[] {"temperature", "top_p", "top_k"}) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) continue;
            double v;
            try {
                v = e.getAsDouble();
            } catch (RuntimeException bad) {
                throw JsonFiles.invalid(file, key, e.toString(), "expected a number");
            }
            boolean valid = switch (key) {
                case "temperature" -> v > 0 && Double.isFinite(v);
                case "top_p" -> v > 0 && v <= 1;
                default -> v >= 0 && v == Math.rint(v);
            };
            if (!valid) throw JsonFiles.invalid(file, key, e.toString(), key.equals("top_k") ? "expected a whole number >= 0"
                    : key.equals("top_p") ? "expected a number in (0, 1]" : "expected a number > 0");
            out.put(key, v);
        }
        return out;
    }
}
