package io.rlvr4j.backend.hf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hf} model format: the sampling a model recommends ({@code generation_config.json}) and the
 * check of a model directory before a run, each bad input named by file and key.
 */
class HfModelFormatTest {

    @TempDir
    Path tmp;

    private final HfModelFormat format = new HfModelFormat();

    private Path copy(String fixture) throws IOException {
        Path src = Qwen2Reference.fixture(fixture);
        Path dir = tmp.resolve(fixture);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    @Test
    void samplingDefaultsComeFromGenerationConfigWhenItSamples() throws IOException {
        Path dir = copy("qwen2-tiny");
        Path gen = dir.resolve("generation_config.json");
        Files.writeString(gen, "{\"do_sample\": true, \"temperature\": 0.6, \"top_p\": 0.95, \"top_k\": 20, \"eos_token_id\": [63]}");
        assertThat(format.samplingDefaults(dir)).containsEntry("temperature", 0.6).containsEntry("top_p", 0.95).containsEntry("top_k", 20.0);
        // transformers decodes greedily without do_sample and ignores the rest
        Files.writeString(gen, "{\"temperature\": 0.6}");
        assertThat(format.samplingDefaults(dir)).isEmpty();
        Files.delete(gen);
        assertThat(format.samplingDefaults(dir)).isEmpty();
        Files.writeString(gen, "{\"do_sample\": true, \"top_p\": 1.5}");
        assertThatThrownBy(() -> format.samplingDefaults(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(gen.toString()).hasMessageContaining("top_p").hasMessageContaining("(0, 1]");
    }

    @Test
    void aGoodDirectoryPassesTheCheck() throws IOException {
        for (String f : new String[] {"qwen2-tiny", "qwen3-tiny", "llama-tiny"}) format.check(copy(f));
    }

    @Test
    void aTemplateErrorIsNamedWithItsFile() throws IOException {
        Path dir = copy("qwen2-tiny");
        Files.writeString(dir.resolve("chat_template.jinja"), "{% for m in messages %}{{ m.content }");
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("chat_template.jinja");
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ raise_exception('only system and user roles are supported') }}");
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("chat_template.jinja")
                .hasMessageContaining("only system and user roles are supported");
    }

    @Test
    void anUnknownFamilyIsNamedWithTheKnownOnes() throws IOException {
        Path dir = copy("qwen2-tiny");
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"qwen2\"", "\"gemma2\""));
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining(config.toString())
                .hasMessageContaining("model_type").hasMessageContaining("gemma2").hasMessageContaining("qwen2, qwen3, llama");
    }

    @Test
    void aTokenizerWithIdsBeyondTheVocabularyIsNamedWithBothFiles() throws IOException {
        Path dir = copy("qwen2-tiny");
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replaceFirst("\"vocab_size\": ?64", "\"vocab_size\": 60"));
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("tokenizer")
                .hasMessageContaining("vocab_size").hasMessageContaining("60");
    }

    @Test
    void aMissingShardAndATruncatedHeaderAreNamed() throws IOException {
        Path dir = copy("qwen2-tiny");
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining(weights.toString())
                .hasMessageContaining("header length").hasMessageContaining("truncated");
        Files.move(weights, dir.resolve("model-00001-of-00002.safetensors"));
        Files.write(dir.resolve("model-00001-of-00002.safetensors"), bytes);
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"model.norm.weight\": \"model-00001-of-00002.safetensors\","
                + " \"lm_head.weight\": \"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> format.check(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("model.safetensors.index.json")
                .hasMessageContaining("model-00002-of-00002.safetensors").hasMessageContaining("missing");
    }
}
