package io.rlvr4j.backend.hf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.HfTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fresh model's files as the hf format writes them, read back by the Hugging Face tokenizers library and the config reader. */
class CharTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void everyPrintableCharacterIsOneTokenAndTextRoundTrips() {
        new HfModelFormat().fresh(Settings.of(Map.of("architecture", Map.of("hidden_size", 16, "intermediate_size", 32,
                "num_hidden_layers", 1, "num_attention_heads", 2, "num_key_value_heads", 1)))).writeFiles(dir);
        CharTokenizer chars = CharTokenizer.printableAscii();
        DecoderConfig config = DecoderConfig.read(dir);
        assertThat(config.modelType()).isEqualTo("qwen2");
        assertThat(config.hiddenSize()).isEqualTo(16);
        assertThat(config.vocabSize()).isEqualTo(chars.vocabularySize());
        try (HfTokenizer t = HfTokenizer.open(dir, config)) {
            assertThat(t.vocabularySize()).isEqualTo(chars.vocabularySize()).isEqualTo(100);
            assertThat(t.eosTokenId()).hasValue(chars.eosId());
            assertThat(t.padTokenId()).hasValue(chars.padId());
            StringBuilder all = new StringBuilder("\n");
            for (char c = ' '; c <= '~'; c++) all.append(c);
            int[] ids = t.encode(all.toString());
            assertThat(ids).hasSize(96);
            for (int i = 0; i < ids.length; i++) assertThat(ids[i]).isEqualTo(i);
            String text = "12+7*3-5=\n7*3=21\n12+21=33\n33-5=28\n\\boxed{28}";
            assertThat(t.decode(t.encode(text))).isEqualTo(text);
            int[] withEos = java.util.Arrays.copyOf(t.encode("\\boxed{1}"), 10);
            withEos[9] = chars.eosId();
            assertThat(t.decode(withEos)).as("special tokens are skipped").isEqualTo("\\boxed{1}");
            assertThat(t.encode("<|im_start|>user")).startsWith(chars.specialId("<|im_start|>")).hasSize(5);
            // the plain template of a base model: a lone user message is the prompt as it is
            assertThat(t.hasChatTemplate()).isTrue();
            assertThat(t.applyChatTemplate(List.of(new ChatMessage("user", "7+3=")), true, Map.of())).isEqualTo("7+3=");
            assertThat(t.applyChatTemplate(List.of(new ChatMessage("system", "Add."), new ChatMessage("user", "7+3=")), true, Map.of()))
                    .isEqualTo("Add.\n7+3=");
        }
        new HfModelFormat().check(dir);
    }

    @Test
    void badArchitectureKeysAreRefusedByKey() {
        assertThatThrownBy(() -> new HfModelFormat().fresh(Settings.of(Map.of("architecture", Map.of("num_attention_heads", 3)))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("num_key_value_heads");
        assertThatThrownBy(() -> new HfModelFormat().fresh(Settings.of(Map.of("tokenizer", "gpt2")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tokenizer").hasMessageContaining("ascii-chars");
    }
}
