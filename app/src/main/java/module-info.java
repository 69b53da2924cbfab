/**
 * The rlvr4j runtime: the {@code rlvr4j} CLI, YAML run configurations, plugin discovery and the
 * pipeline of stages (SFT, RL, evaluation).
 *
 * <p>Reaches plugins only through {@link java.util.ServiceLoader}: it never imports a plugin module.
 *
 * @uses io.rlvr4j.api.PolicyBackend
 * @uses io.rlvr4j.api.RolloutEngine
 * @uses io.rlvr4j.api.Algorithm
 * @uses io.rlvr4j.api.RewardFunction
 * @uses io.rlvr4j.api.DataSource
 * @uses io.rlvr4j.api.ModelFormat
 */
module io.rlvr4j.app {
    requires io.rlvr4j.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires java.logging;

    uses io.rlvr4j.api.PolicyBackend;
    uses io.rlvr4j.api.RolloutEngine;
    uses io.rlvr4j.api.Algorithm;
    uses io.rlvr4j.api.RewardFunction;
    uses io.rlvr4j.api.DataSource;
    uses io.rlvr4j.api.ModelFormat;

    exports io.rlvr4j.app;
    opens io.rlvr4j.app.cli to info.picocli;
}
