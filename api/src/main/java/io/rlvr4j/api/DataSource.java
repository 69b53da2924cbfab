package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;

/**
 * SPI: where problems come from (a JSONL file, a generator …). Selected in configuration by
 * {@code data.train.source: <name>} and {@code data.eval.source: <name>}.
 */
public interface DataSource extends Plugin {

    /**
     * Opens a stream of problems.
     *
     * @throws io.rlvr4j.api.config.ConfigException when a setting is invalid
     * @throws io.rlvr4j.api.DataException when the data itself is malformed (names file and line)
     */
    ProblemStream open(Settings settings);
}
