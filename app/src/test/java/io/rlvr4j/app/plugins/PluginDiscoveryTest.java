package io.rlvr4j.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The plugins of the default distribution are found through ServiceLoader, with their modules. */
class PluginDiscoveryTest {

    @Test
    void findsTheDefaultDistributionsPlugins() {
        PluginRegistry r = PluginRegistry.discover();
        assertThat(r.names(PluginRegistry.Spi.POLICY_BACKEND)).contains("djl");
        assertThat(r.names(PluginRegistry.Spi.ROLLOUT_ENGINE)).contains("djl");
        assertThat(r.names(PluginRegistry.Spi.ALGORITHM)).contains("rloo");
        assertThat(r.names(PluginRegistry.Spi.REWARD_FUNCTION)).contains("math");
        assertThat(r.names(PluginRegistry.Spi.DATA_SOURCE)).contains("jsonl", "arithmetic");
        assertThat(r.names(PluginRegistry.Spi.MODEL_FORMAT)).contains("hf");
        assertThat(r.all()).allSatisfy(e -> {
            assertThat(e.module()).startsWith("io.rlvr4j.");
            assertThat(e.description()).isNotBlank();
        });
    }
}
