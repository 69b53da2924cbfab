package io.rlvr4j.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.Plugin;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    record Named(String name) implements Algorithm {
        @Override
        public UpdateRule create(Settings settings) {
            throw new AssertionError("not created in these tests");
        }
    }

    private static PluginRegistry with(Plugin... algorithms) {
        return PluginRegistry.of(spi -> spi == PluginRegistry.Spi.ALGORITHM ? List.of(algorithms) : List.of());
    }

    @Test
    void rejectsDuplicatePluginNames() {
        assertThatThrownBy(() -> with(new Named("rloo"), new Named("rloo")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two plugins claim algorithm 'rloo'")
                .hasMessageContaining("Remove one of them");
    }

    @Test
    void selectsByNameAndListsTheInstalledOnesOtherwise() {
        PluginRegistry r = with(new Named("rloo"), new Named("grpo"));
        assertThat(r.select(Algorithm.class, Settings.of(Map.of("name", "grpo")), "name", null).name()).isEqualTo("grpo");
        assertThat(r.names(PluginRegistry.Spi.ALGORITHM)).containsExactly("grpo", "rloo");
        assertThatThrownBy(() -> r.select(Algorithm.class, Settings.of(Map.of("name", "ppo")), "name", null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("name = \"ppo\" — unknown algorithm 'ppo'. Installed: grpo, rloo.");
        assertThatThrownBy(() -> r.select(Algorithm.class, Settings.empty(), "name", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing name");
    }

    @Test
    void entriesSayWhereAPluginComesFrom() {
        PluginRegistry.Entry e = with(new Named("rloo")).all().getFirst();
        assertThat(e.spi()).isEqualTo(PluginRegistry.Spi.ALGORITHM);
        assertThat(e.module()).isNotBlank();
    }
}
