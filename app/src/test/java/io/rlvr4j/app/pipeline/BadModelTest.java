package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run given a broken model directory (the installed plugins, a copy of the qwen2-tiny fixture) stops
 * before it writes anything, with an error naming the file and the key or what is wrong.
 */
class BadModelTest {

    @TempDir
    Path tmp;

    private Path brokenModel(String how) throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("../fixtures/qwen2-tiny").toAbsolutePath())) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        Path config = dir.resolve("config.json");
        Path weights = dir.resolve("model.safetensors");
        switch (how) {
            case "template" -> Files.writeString(dir.resolve("chat_template.jinja"), "{% if messages %}{{ messages[0].content }}");
            case "family" -> Files.writeString(config, Files.readString(config).replace("\"qwen2\"", "\"gemma2\""));
            case "vocabulary" -> Files.writeString(config, Files.readString(config).replaceFirst("\"vocab_size\": ?64", "\"vocab_size\": 60"));
            case "truncated" -> Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 64));
            case "shard" -> {
                Files.move(weights, dir.resolve("model-00001-of-00002.safetensors"));
                Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"model.norm.weight\":"
                        + " \"model-00001-of-00002.safetensors\", \"lm_head.weight\": \"model-00002-of-00002.safetensors\"}}");
            }
            default -> throw new IllegalArgumentException(how);
        }
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"template", "family", "vocabulary", "truncated", "shard"})
    void aBrokenModelStopsTheRunBeforeAnythingIsWritten(String how) throws Exception {
        Path model = brokenModel(how);
        Path runs = tmp.resolve("runs");
        String yaml = """
                run: {name: t, output_dir: %s}
                model: {path: %s}
                rewards: [{name: math}]
                data: {eval: {source: arithmetic, split: eval}}
                stages: [{type: eval, data: eval, problems: 2, n: 0}]
                """.formatted(runs, model);
        Method m = ConfigLoader.class.getDeclaredMethod("parse", java.io.Reader.class, String.class, Path.class);
        m.setAccessible(true);
        ConfigTree tree = (ConfigTree) m.invoke(null, new StringReader(yaml), "run.yaml", tmp);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String expected = switch (how) {
            case "template" -> "chat_template.jinja";
            case "family" -> "gemma2";
            case "vocabulary" -> "vocab_size";
            case "truncated" -> "model.safetensors";
            default -> "model-00002-of-00002.safetensors";
        };
        assertThatThrownBy(() -> Run.execute(tree, PluginRegistry.discover(), out)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(model.toString()).hasMessageContaining(expected);
        assertThat(runs).doesNotExist();
    }
}
