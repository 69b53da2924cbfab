package io.rlvr4j.api;

import java.nio.file.Path;

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
}
