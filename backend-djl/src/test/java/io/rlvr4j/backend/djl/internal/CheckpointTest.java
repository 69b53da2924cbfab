package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.Safetensors;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final List<TokenSequence> SEQS = TrainingTest.sequences(21);

    @Test
    void savedPoliciesReopenWithTheSameOutputs(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("saved");
        float[][] before;
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(1e-3))) {
            p.train(SupervisedObjective.tokenMean(SEQS));
            before = p.logProbs(SEQS);
            p.save(out);
        }
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.get("torch_dtype").getAsString()).isEqualTo("float32");
        assertThat(config.get("num_hidden_layers").getAsInt()).isEqualTo(2);
        try (DjlPolicy reopened = (DjlPolicy) new DjlPolicyBackend().open(
                new PolicySpec(out, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0), Fixture.cpu())) {
            float[][] after = reopened.logProbs(SEQS);
            for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
            assertThat(reopened.tokenizer().eosTokenId()).hasValue(63);
        }
    }

    @Test
    void exportedWeightsLoadIntoTheRolloutEngine() {
        List<int[]> prompts = List.of(new int[] {9, 6, 13, 13, 16}, new int[] {21, 9, 6});
        SamplingParams greedy = SamplingParams.greedy(20, Set.of());
        try (DjlPolicy p = Fixture.open(OptimizerSpec.adamW(5e-3));
             Sampler rollout = new DjlRolloutEngine().open(Fixture.DIR, Fixture.cpu())) {
            assertThat(tokens(rollout.generate(prompts, greedy))).usingRecursiveComparison().isEqualTo(tokens(p.generate(prompts, greedy)));
            for (int s = 0; s < 3; s++) p.train(SupervisedObjective.tokenMean(SEQS));
            List<int[]> trained = tokens(p.generate(prompts, greedy));
            assertThat(tokens(rollout.generate(prompts, greedy))).usingRecursiveComparison().isNotEqualTo(trained);
            rollout.loadWeights(p.exportWeights());
            assertThat(tokens(rollout.generate(prompts, greedy))).usingRecursiveComparison().isEqualTo(trained);
            SamplingParams sampled = new SamplingParams(1.0, 0.9, 0, 20, Set.of(), 5);
            List<Generation> a = rollout.generate(prompts, sampled);
            List<Generation> b = p.generate(prompts, sampled);
            assertThat(tokens(a)).usingRecursiveComparison().isEqualTo(tokens(b));
        }
    }

    @Test
    void theRolloutEngineOpensTheDirectoryOfARandomPolicy(@TempDir Path tmp) {
        Path dir = TinyModels.write(tmp.resolve("m"), 2, 32, 4, 2, 64);
        List<int[]> prompts = List.of(new int[] {40, 41, 42});
        SamplingParams greedy = SamplingParams.greedy(12, Set.of());
        try (DjlPolicy p = TinyModels.random(dir, ModelRole.ACTOR, OptimizerSpec.adamW(1e-3), 3, Fixture.cpu());
             Sampler rollout = new DjlRolloutEngine().open(dir, Fixture.cpu())) {
            rollout.loadWeights(p.exportWeights());
            assertThat(tokens(rollout.generate(prompts, greedy))).usingRecursiveComparison().isEqualTo(tokens(p.generate(prompts, greedy)));
            assertThat(rollout.tokenizer().decode(rollout.tokenizer().encode("Hi there!"))).isEqualTo("Hi there!");
            assertThat(rollout.tokenizer().eosTokenId()).hasValue(99);
        }
    }

    private static List<int[]> tokens(List<Generation> g) {
        return g.stream().map(Generation::tokens).toList();
    }

    @Test
    void loadWeightsRejectsUnknownMissingAndMisshapedTensors() {
        try (DjlPolicy p = Fixture.open(null)) {
            Map<String, WeightTensor> w = p.exportWeights();
            Map<String, WeightTensor> unknown = new HashMap<>(w);
            unknown.put("model.layers.9.mlp.up_proj.weight", new WeightTensor(new long[] {1}, new float[1]));
            assertThatThrownBy(() -> p.loadWeights(unknown)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown tensor model.layers.9.mlp.up_proj.weight");
            Map<String, WeightTensor> missing = new HashMap<>(w);
            missing.remove(Qwen2Model.NORM);
            assertThatThrownBy(() -> p.loadWeights(missing)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.norm.weight");
            Map<String, WeightTensor> shaped = new HashMap<>(w);
            shaped.put(Qwen2Model.NORM, new WeightTensor(new long[] {2, 32}, new float[64]));
            assertThatThrownBy(() -> p.loadWeights(shaped)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model.norm.weight has shape [2, 32], expected [64]");
            // nothing changed
            assertThat(p.exportWeights().get(Qwen2Model.NORM).toArray()).containsExactly(w.get(Qwen2Model.NORM).toArray());
        }
    }

    @Test
    void randomInitialisationIsSeededAndFollowsTransformers(@TempDir Path tmp) {
        Path dir = TinyModels.write(tmp.resolve("m"), 2, 32, 4, 2, 64);
        Map<String, WeightTensor> a;
        Map<String, WeightTensor> b;
        Map<String, WeightTensor> c;
        try (DjlPolicy p = TinyModels.random(dir, ModelRole.ACTOR, null, 7, Fixture.cpu())) {
            a = p.exportWeights();
            assertThat(p.describe()).startsWith("qwen2 2 layers, hidden 32, ");
        }
        try (DjlPolicy p = TinyModels.random(dir, ModelRole.ACTOR, null, 7, Fixture.cpu())) {
            b = p.exportWeights();
        }
        try (DjlPolicy p = TinyModels.random(dir, ModelRole.ACTOR, null, 8, Fixture.cpu())) {
            c = p.exportWeights();
        }
        for (String name : a.keySet()) assertThat(b.get(name).toArray()).as(name).containsExactly(a.get(name).toArray());
        assertThat(c.get(Qwen2Model.EMBED).toArray()).isNotEqualTo(a.get(Qwen2Model.EMBED).toArray());
        assertThat(a.get("model.layers.0.input_layernorm.weight").toArray()).containsOnly(1f);
        assertThat(a.get("model.layers.1.self_attn.k_proj.bias").toArray()).containsOnly(0f);
        float[] q = a.get("model.layers.0.mlp.up_proj.weight").toArray();
        double sq = 0;
        for (float v : q) sq += v * v;
        assertThat(Math.sqrt(sq / q.length)).isCloseTo(0.02, within(0.002));
        assertThat(a).containsKey(Qwen2Model.LM_HEAD).doesNotContainKey(Qwen2Model.SCORE);
    }

    @Test
    void readsF16Bf16AndShardedCheckpoints(@TempDir Path tmp) throws IOException {
        // a sharded copy of the fixture: even tensors as BF16-exact values stored in BF16, odd ones in F32
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Safetensors.read(Fixture.DIR.resolve("model.safetensors"), (name, shape, data) -> {
            float[] f = new float[data.remaining() / 4];
            data.asFloatBuffer().get(f);
            values.put(name, f);
            shapes.put(name, shape);
        });
        Path dir = tmp.resolve("sharded");
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) Files.copy(Fixture.DIR.resolve(f), dir.resolve(f));
        List<String> names = new ArrayList<>(values.keySet());
        Map<String, String> weightMap = new LinkedHashMap<>();
        List<String[]> shard1 = new ArrayList<>();
        List<String[]> shard2 = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String dtype = i % 3 == 0 ? "BF16" : i % 3 == 1 ? "F16" : "F32";
            if (!dtype.equals("F32")) {
                float[] v = values.get(n);
                for (int k = 0; k < v.length; k++) v[k] = dtype.equals("BF16") ? Float.intBitsToFloat(Float.floatToIntBits(v[k]) & 0xffff0000)
                        : Float.float16ToFloat(Float.floatToFloat16(v[k]));
            }
            (i % 2 == 0 ? shard1 : shard2).add(new String[] {n, dtype});
            weightMap.put(n, i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        writeMixed(dir.resolve("model-00001-of-00002.safetensors"), shard1, values, shapes);
        writeMixed(dir.resolve("model-00002-of-00002.safetensors"), shard2, values, shapes);
        JsonObject index = new JsonObject();
        JsonObject map = new JsonObject();
        weightMap.forEach(map::addProperty);
        index.add("weight_map", map);
        Files.writeString(dir.resolve(Safetensors.INDEX_FILE), index.toString());

        try (DjlPolicy p = (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0),
                Fixture.cpu())) {
            Map<String, WeightTensor> w = p.exportWeights();
            for (String n : names) assertThat(w.get(n).toArray()).as(n).containsExactly(values.get(n));
        }
    }

    /** Writes tensors in the given dtypes (F32, F16 or BF16), by hand, to test the reader independently of the writer. */
    private static void writeMixed(Path file, List<String[]> tensors, Map<String, float[]> values, Map<String, long[]> shapes) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        List<ByteBuffer> data = new ArrayList<>();
        for (String[] t : tensors) {
            float[] v = values.get(t[0]);
            int width = t[1].equals("F32") ? 4 : 2;
            ByteBuffer b = ByteBuffer.allocate(v.length * width).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                switch (t[1]) {
                    case "F32" -> b.putFloat(f);
                    case "F16" -> b.putShort(Float.floatToFloat16(f));
                    default -> b.putShort((short) (Float.floatToIntBits(f) >>> 16));
                }
            }
            data.add(b.flip());
            JsonObject e = new JsonObject();
            e.addProperty("dtype", t[1]);
            com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
            for (long d : shapes.get(t[0])) shape.add(d);
            e.add("shape", shape);
            com.google.gson.JsonArray off = new com.google.gson.JsonArray();
            off.add(offset);
            offset += b.remaining();
            off.add(offset);
            e.add("data_offsets", off);
            header.add(t[0], e);
        }
        byte[] h = header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(8 + h.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        all.putLong(h.length).put(h);
        for (ByteBuffer b : data) all.put(b);
        Files.write(file, all.array());
    }

    /** A copy of fixture {@code name} in {@code tmp}, its config.json rw-r----- (a mode no file of the process gets by default). */
    private static Path copyOf(String name, Path tmp) throws IOException {
        Path src = Qwen2Reference.fixture(name);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.setPosixFilePermissions(dir.resolve("config.json"), PosixFilePermissions.fromString("rw-r-----"));
        return dir;
    }

    private static Map<String, byte[]> rawTensors(Path modelDir) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, Safetensors.TensorInfo> e : Safetensors.checkpointTensors(modelDir).entrySet()) {
            Safetensors.TensorInfo t = e.getValue();
            try (var ch = java.nio.channels.FileChannel.open(t.file())) {
                ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.end() - t.begin()));
                while (b.hasRemaining()) ch.read(b, t.begin() + b.position());
                out.put(e.getKey() + ":" + t.dtype(), b.array());
            }
        }
        return out;
    }

    @Test
    void savesInTheSourceDtypeWithItsFilesAndModes(@TempDir Path tmp) throws IOException {
        Path src = copyOf("qwen3-bf16-tied", tmp);
        Path untouched = tmp.resolve("untouched");
        Path trained = tmp.resolve("trained");
        Map<String, WeightTensor> after;
        try (DjlPolicy p = Fixture.open(src, OptimizerSpec.adamW(1e-3))) {
            p.save(untouched);
            p.train(SupervisedObjective.tokenMean(SEQS));
            p.save(trained);
            after = p.exportWeights();
        }
        // BF16 in, BF16 out: the float32 masters of unchanged weights round back to the very bits read
        Map<String, byte[]> read = rawTensors(src);
        assertThat(rawTensors(untouched)).containsOnlyKeys(read.keySet()).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(read.get(k)));
        JsonObject config = JsonParser.parseString(Files.readString(untouched.resolve("config.json"))).getAsJsonObject();
        assertThat(config.get("torch_dtype").getAsString()).isEqualTo("bfloat16");
        for (String f : List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json")) {
            assertThat(untouched.resolve(f)).hasSameBinaryContentAs(src.resolve(f));
            assertThat(Files.getPosixFilePermissions(untouched.resolve(f))).isEqualTo(Files.getPosixFilePermissions(src.resolve(f)));
        }
        for (String f : List.of("config.json", Safetensors.SINGLE_FILE)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(untouched.resolve(f)))).as(f).isEqualTo("rw-r-----");
        }
        // trained weights are the masters rounded to nearest even
        Map<String, byte[]> saved = rawTensors(trained);
        String name = "model.layers.0.mlp.up_proj.weight";
        float[] master = after.get(name).toArray();
        ByteBuffer bits = ByteBuffer.wrap(saved.get(name + ":BF16")).order(ByteOrder.LITTLE_ENDIAN);
        int changed = 0;
        for (int i = 0; i < master.length; i++) {
            assertThat(bits.getShort(2 * i)).isEqualTo(Safetensors.toBfloat16(master[i]));
            if (Float.floatToIntBits(master[i]) != (Safetensors.toBfloat16(master[i]) & 0xffff) << 16) changed++;
        }
        assertThat(changed).as("values between two bfloat16s").isPositive();
    }

    @Test
    void savesShardedAboveTheLimitAndReopensTheSame(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("sharded");
        float[][] before;
        Settings settings = Settings.of(Map.of("device", "cpu", "threads", 2, "max_shard_size", "100KB", "save_dtype", "float32"));
        try (DjlPolicy p = (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0),
                settings)) {
            before = p.logProbs(SEQS);
            p.save(out);
        }
        JsonObject index = JsonParser.parseString(Files.readString(out.resolve(Safetensors.INDEX_FILE))).getAsJsonObject();
        long total = 0;
        for (Safetensors.TensorInfo t : Safetensors.checkpointTensors(out).values()) total += t.end() - t.begin();
        assertThat(index.getAsJsonObject("metadata").get("total_size").getAsLong()).isEqualTo(total);
        assertThat(out.resolve(Safetensors.SINGLE_FILE)).doesNotExist();
        try (Stream<Path> files = Files.list(out)) {
            List<Path> shards = files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).toList();
            assertThat(shards).hasSizeGreaterThan(2).allSatisfy(f -> assertThat(f.toFile().length()).isLessThan(100_000 + 4096));
        }
        try (DjlPolicy reopened = Fixture.open(out, null)) {
            float[][] after = reopened.logProbs(SEQS);
            for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
        }
        assertThatThrownBy(() -> DjlSettings.read(Settings.of(Map.of("max_shard_size", "5 parsecs")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_shard_size");
        assertThatThrownBy(() -> DjlSettings.read(Settings.of(Map.of("save_dtype", "int8")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("save_dtype").hasMessageContaining("bfloat16");
    }

    @Test
    void tensorsOverOneBufferLoadRowBlockByRowBlock() {
        DecoderConfig config = DecoderConfig.read(Fixture.DIR);
        try (Qwen2Model whole = Qwen2Weights.load(config, Fixture.DIR, ai.djl.Device.cpu(), false, 0);
             Qwen2Model blocks = Qwen2Weights.load(config, Fixture.DIR, ai.djl.Device.cpu(), false, 0, 1024)) {
            Map<String, WeightTensor> a = Qwen2Weights.export(whole);
            Map<String, WeightTensor> b = Qwen2Weights.export(blocks);
            assertThat(b).containsOnlyKeys(a.keySet()).allSatisfy((k, v) -> assertThat(v.toArray()).as(k).containsExactly(a.get(k).toArray()));
        }
    }

    @Test
    void badModelDirectoriesFailWithTheFileAndKey(@TempDir Path tmp) throws IOException {
        Path dir = TinyModels.write(tmp.resolve("m"), 1, 32, 4, 2, 64);
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"hidden_size\":32,", ""));
        assertThatThrownBy(() -> TinyModels.random(dir, ModelRole.ACTOR, null, 0, Fixture.cpu()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("config.json").hasMessageContaining("hidden_size");
        Files.writeString(dir.resolve("config.json"), config.replace("\"qwen2\"", "\"gemma2\""));
        assertThatThrownBy(() -> TinyModels.random(dir, ModelRole.ACTOR, null, 0, Fixture.cpu()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model_type").hasMessageContaining("gemma2")
                .hasMessageContaining("qwen2, qwen3, llama");
        Files.writeString(dir.resolve("config.json"), config);
        assertThatThrownBy(() -> new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0), Fixture.cpu()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.safetensors");
        assertThatThrownBy(() -> new DjlPolicyBackend().open(new PolicySpec(tmp.resolve("nowhere"), PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0),
                Fixture.cpu())).isInstanceOf(ConfigException.class).hasMessageContaining("config.json");
    }
}
