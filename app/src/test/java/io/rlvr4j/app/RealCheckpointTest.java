package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user brings: a Qwen2.5-0.5B-shaped checkpoint (random BF16 weights in two shards, the real
 * Qwen3 tokenizer and its chat template) evaluated and trained for two RL steps on this CPU, with
 * rollouts on the policy and on ONNX Runtime; the trained model is saved as it came (BF16, two
 * shards), loads back bit for bit, and an independent reader (Python's standard library) reads it.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealCheckpointTest {

    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void writeTheCheckpoint() throws IOException {
        model = tmp.resolve("qwen2.5-0.5b-shaped");
        RealShapes.qwen25HalfB(model, Path.of("../fixtures/tokenizers/qwen3").toAbsolutePath());
    }

    private static String config(String engine, Path runs) {
        return """
                run: {name: real, output_dir: %s, seed: 1}
                model: {path: %s, chat_template_kwargs: {enable_thinking: false}}
                policy: {backend: djl, device: cpu, threads: 2, micro_batch_size: 4, max_shard_size: 600MB}
                rollout: {engine: %s}
                rewards: [{name: math}]
                data:
                  train: {source: arithmetic, split: train, seed: 1}
                  eval: {source: arithmetic, split: eval}
                stages:
                  - {type: eval, name: before, data: eval, problems: 2, n: 0, max_new_tokens: 6}
                  - {type: rl, data: train, steps: 2, prompts_per_step: 2, n: 2, sampling: {max_new_tokens: 6}, kl_monitor_every: 0,
                     algorithm: {name: rloo}}
                """.formatted(runs, model, engine);
    }

    /** {@return the peak resident memory of this process so far, in GB} (Linux {@code VmHWM}) */
    private static double peakResidentGb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1e6;
        }
        return Double.NaN;
    }

    private static Path train(String engine) throws Exception {
        Path runs = tmp.resolve("runs-" + engine);
        Path yaml = tmp.resolve(engine + ".yaml");
        Files.writeString(yaml, config(engine, runs));
        String console = TestRuns.run("run", yaml.toString());
        assertThat(console).contains("qwen2 24 layers, hidden 896, 494,032,768 parameters").contains("rlvr4j: memory estimate");
        System.out.printf("rollout %s: peak resident memory of the test JVM so far %.1f GB%n", engine, peakResidentGb());
        return TestRuns.runDir(runs, "real");
    }

    @Test
    @Order(2)
    void evalAndTwoRlStepsOnThePolicySaveTheModelAsItCame() throws Exception {
        Path saved = train("policy").resolve("models/rl");
        JsonNode config = new ObjectMapper().readTree(saved.resolve("config.json").toFile());
        assertThat(config.get("torch_dtype").asText()).isEqualTo("bfloat16");
        assertThat(saved.resolve("model.safetensors.index.json")).isRegularFile();
        assertThat(saved.resolve("model-00001-of-00002.safetensors")).isRegularFile();
        assertThat(saved.resolve("model-00002-of-00002.safetensors")).isRegularFile();
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "generation_config.json"}) {
            assertThat(saved.resolve(f)).hasSameBinaryContentAs(model.resolve(f));
        }

        // an independent reader: every tensor BF16, of the source's shapes, in the shards the index names
        Process p = new ProcessBuilder("python3", resource("read_safetensors.py"), saved.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        JsonNode tensors = new ObjectMapper().readTree(out);
        assertThat(tensors.size()).isEqualTo(1 + 24 * 12 + 1);
        assertThat(tensors.get("model.embed_tokens.weight").get("shape").toString()).isEqualTo("[151936,896]");
        for (Iterator<JsonNode> it = tensors.elements(); it.hasNext(); ) assertThat(it.next().get("dtype").asText()).isEqualTo("BF16");

        // loaded back, the float32 weights are the saved BF16 values exactly
        PolicyBackend backend = PluginRegistry.discover().select(PolicyBackend.class, Settings.of(Map.of("backend", "djl")), "backend", null);
        try (Policy reloaded = backend.open(new PolicySpec(saved, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0),
                Settings.of(Map.of("device", "cpu", "threads", 2)))) {
            Map<String, WeightTensor> w = reloaded.exportWeights();
            for (String name : new String[] {"model.embed_tokens.weight", "model.layers.23.mlp.down_proj.weight", "model.norm.weight"}) {
                short[] bits = bf16(saved.resolve(tensors.get(name).get("file").asText()), name);
                float[] values = w.get(name).toArray();
                assertThat(values).hasSize(bits.length);
                for (int i = 0; i < bits.length; i++) {
                    if (Float.floatToRawIntBits(values[i]) != (bits[i] & 0xffff) << 16) {
                        throw new AssertionError(name + "[" + i + "] reloads as " + values[i] + ", the file holds bf16 bits " + Integer.toHexString(bits[i] & 0xffff));
                    }
                }
            }
        }
    }

    /**
     * First of the class: the peak is the process's high-water mark, and a run before it in the same JVM
     * leaves freed native memory with the allocator (in CI, the policy run first gave 13.4 GB, then this
     * one 20.8 GB; alone, as a user's run is, it peaks at 16.3 GB).
     */
    @Test
    @Order(1)
    void evalAndTwoRlStepsWithRolloutsOnOnnxRuntimeFitThisMachine() throws Exception {
        Path saved = train("onnx").resolve("models/rl");
        assertThat(saved.resolve("model.safetensors.index.json")).isRegularFile();
        assertThat(peakResidentGb()).as("peak resident memory, GB, of this 24 GB machine").isLessThan(20);
    }

    private static String resource(String name) throws IOException {
        Path script = tmp.resolve(name);
        if (!Files.exists(script)) {
            try (var in = Objects.requireNonNull(RealCheckpointTest.class.getResourceAsStream(name))) {
                Files.copy(in, script);
            }
        }
        return script.toString();
    }

    /** The BF16 bits of tensor {@code name} of a safetensors file, read by hand. */
    private static short[] bf16(Path file, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long n = len.getLong(0);
            ByteBuffer header = ByteBuffer.allocate((int) n);
            ch.read(header, 8);
            JsonNode t = new ObjectMapper().readTree(new String(header.array(), StandardCharsets.UTF_8)).get(name);
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            while (data.hasRemaining()) ch.read(data, 8 + n + begin + data.position());
            short[] out = new short[data.capacity() / 2];
            data.flip().asShortBuffer().get(out);
            return out;
        }
    }
}
