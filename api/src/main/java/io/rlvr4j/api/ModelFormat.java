package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * SPI: a format of model directories on disk (the Hugging Face layout), and what can be read from one
 * without an engine. The app reads tokenizers and chat templates through it, for instance to show the
 * exact prompt ids a run trains on ({@code rlvr4j tokens}).
 */
public interface ModelFormat extends Plugin {

    /**
     * Opens the tokenizer of a model directory (or of a directory holding only tokenizer files), with
     * its special tokens and chat template.
     *
     * @return an open tokenizer; the caller closes it
     * @throws io.rlvr4j.api.config.ConfigException when the directory holds no tokenizer or it is malformed,
     *     naming the file
     */
    Tokenizer openTokenizer(Path dir);

    /**
     * {@return the sampling values the model's authors recommend}, by rlvr4j's key names
     * ({@code temperature}, {@code top_p}, {@code top_k}): those a run uses where it sets none. Empty
     * when the directory recommends none, or recommends greedy decoding.
     *
     * @throws io.rlvr4j.api.config.ConfigException when the file holding them is malformed, naming it and the key
     */
    default Map<String, Double> samplingDefaults(Path dir) {
        return Map.of();
    }

    /**
     * {@return the dimensions of the model in {@code dir}}, read from its configuration: what
     * benchmarks count operations with
     *
     * @throws io.rlvr4j.api.config.ConfigException when the configuration is malformed, naming the file and key
     */
    default java.util.Optional<ModelShape> shape(Path dir) {
        return java.util.Optional.empty();
    }

    /**
     * Checks a model directory as far as can be done without loading its weights, so that a run refuses
     * bad input before it writes anything: its configuration, tokenizer and chat template, and the
     * headers of its weight files.
     *
     * @throws io.rlvr4j.api.config.ConfigException naming the file and the key or what is wrong
     */
    default void check(Path dir) {
    }

    /**
     * {@return a fresh model of this format}, described by the {@code model} section of a run
     * ({@code init: fresh}: its tokenizer and architecture keys), validated now and written when asked
     *
     * @throws io.rlvr4j.api.config.ConfigException for a bad key, or when the format creates no fresh models
     */
    default FreshModel fresh(Settings model) {
        throw model.invalid("init", "the " + name() + " model format does not create fresh models; give model.path");
    }

    /** A fresh model's files (configuration and tokenizer, no weights), to be written into a directory. */
    @FunctionalInterface
    interface FreshModel {
        /** Writes the files into {@code dir}, creating it. */
        void writeFiles(Path dir);
    }
}
