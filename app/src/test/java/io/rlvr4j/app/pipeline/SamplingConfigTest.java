package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A stage's sampling keys: stop strings, and the model's recommended values only where the stage sets none. */
class SamplingConfigTest {

    @Test
    void stopStringsAreAStringOrAListAndTheStringIsCutUnlessKept() {
        SamplingParams one = SamplingConfig.read(Settings.of(Map.of("stop", "</answer>")), 0).configured();
        assertThat(one.stopStrings()).containsExactly("</answer>");
        assertThat(one.keepStopString()).isFalse();
        SamplingParams two = SamplingConfig.read(Settings.of(Map.of("stop", List.of("a", "bc"), "include_stop_str_in_output", true)), 0).configured();
        assertThat(two.stopStrings()).containsExactly("a", "bc");
        assertThat(two.keepStopString()).isTrue();
        assertThatThrownBy(() -> SamplingConfig.read(Settings.of(Map.of("stop", List.of(""))), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("stop").hasMessageContaining("empty");
        assertThatThrownBy(() -> SamplingConfig.read(Settings.of(Map.of("temperature", -1)), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("temperature");
    }

    @Test
    void theModelsValuesFillOnlyWhatTheStageDoesNotSet() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SamplingConfig c = SamplingConfig.read(Settings.of(Map.of("top_p", 0.5, "max_new_tokens", 9, "stop", "x")), 7);
        SamplingParams p = c.resolve(Map.of("temperature", 0.6, "top_p", 0.95, "top_k", 20.0), Set.of(3), "rl",
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(p.temperature()).isEqualTo(0.6);
        assertThat(p.topP()).isEqualTo(0.5);
        assertThat(p.topK()).isEqualTo(20);
        assertThat(p.maxNewTokens()).isEqualTo(9);
        assertThat(p.stopTokens()).containsExactly(3);
        assertThat(p.stopStrings()).containsExactly("x");
        assertThat(p.seed()).isEqualTo(7);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("rl: sampling temperature 0.6, top_k 20 from the model's generation_config.json");
        SamplingParams none = c.resolve(Map.of(), Set.of(), "rl", null);
        assertThat(none.temperature()).isEqualTo(1.0);
        assertThat(none.topK()).isZero();
    }
}
