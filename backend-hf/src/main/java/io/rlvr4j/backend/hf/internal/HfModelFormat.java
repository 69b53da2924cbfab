package io.rlvr4j.backend.hf.internal;

import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.backend.hf.HfTokenizer;
import java.nio.file.Path;

/** The Hugging Face model directory: {@code config.json}, safetensors, {@code tokenizer.json} and its configuration. */
public final class HfModelFormat implements ModelFormat {

    @Override
    public String name() {
        return "hf";
    }

    @Override
    public String description() {
        return "Hugging Face model directories: tokenizer.json, tokenizer_config.json and its chat template";
    }

    @Override
    public Tokenizer openTokenizer(Path dir) {
        return HfTokenizer.open(dir);
    }
}
