package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer.json the app writes for fresh models, read back by the installed backend (a Hugging Face tokenizers implementation). */
class CharTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void everyPrintableCharacterIsOneTokenAndTextRoundTrips() throws Exception {
        ModelSetup.from(Settings.of(Map.of("architecture", Map.of("hidden_size", 16, "intermediate_size", 32,
                "num_hidden_layers", 1, "num_attention_heads", 2, "num_key_value_heads", 1)))).writeFreshFiles(dir);
        PolicyBackend backend = PluginRegistry.discover().select(PolicyBackend.class, Settings.of(Map.of("backend", "djl")), "backend", null);
        CharTokenizer chars = CharTokenizer.printableAscii();
        try (Policy p = backend.open(new PolicySpec(dir, PolicySpec.Init.RANDOM, ModelRole.ACTOR, null, 1), Settings.empty())) {
            Tokenizer t = p.tokenizer();
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
        }
    }
}
