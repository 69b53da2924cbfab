package io.rlvr4j.backend.hf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.contract.PluginModuleContract;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module rules every plugin keeps (api test-jar), and what the {@code hf} model format opens. */
class PluginModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return HfModelFormat.class;
    }

    @Test
    void opensATokenizerDirectoryAndRefusesOneWithoutTokenizer(@TempDir Path empty) {
        try (Tokenizer t = new HfModelFormat().openTokenizer(Path.of("../fixtures/tokenizers/qwen3"))) {
            assertThat(t.vocabularySize()).isEqualTo(151_669);
            assertThat(t.hasChatTemplate()).isTrue();
            assertThat(t.stopTokenIds()).containsExactly(151_645); // <|im_end|>
        }
        Assertions.assertThatThrownBy(() -> new HfModelFormat().openTokenizer(empty)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tokenizer.json is missing");
    }
}
