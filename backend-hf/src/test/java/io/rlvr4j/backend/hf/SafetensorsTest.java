package io.rlvr4j.backend.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader and writer: rounding to BF16 and F16 as PyTorch rounds ({@code
 * safetensors/rounding.json}, made with PyTorch), sharding as {@code save_pretrained}, tensors read in
 * row blocks, and every malformed file named with what is wrong.
 */
class SafetensorsTest {

    @TempDir
    Path dir;

    private static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        for (float f : v) b.putFloat(f);
        return b.flip();
    }

    private static Map<String, float[]> readAll(Path modelDir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Safetensors.readCheckpoint(modelDir, (name, shape, data) -> {
            float[] f = new float[data.remaining() / 4];
            data.asFloatBuffer().get(f);
            out.put(name, f);
        });
        return out;
    }

    @Test
    void roundsToBfloat16AndFloat16AsPyTorch() throws IOException {
        JsonObject ref;
        try (var r = new InputStreamReader(Objects.requireNonNull(getClass().getResourceAsStream("/safetensors/rounding.json")), StandardCharsets.UTF_8)) {
            ref = JsonParser.parseReader(r).getAsJsonObject();
        }
        JsonArray f32 = ref.getAsJsonArray("f32");
        float[] values = new float[f32.size()];
        for (int i = 0; i < values.length; i++) values[i] = Float.intBitsToFloat(f32.get(i).getAsInt());
        for (String dtype : List.of("BF16", "F16")) {
            Path file = dir.resolve(dtype + ".safetensors");
            Safetensors.write(file, List.of(Safetensors.Source.of("t", new long[] {values.length}, floats(values))), dtype);
            Safetensors.TensorInfo t = Safetensors.header(file).get("t");
            assertThat(t.dtype()).isEqualTo(dtype);
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            JsonArray expected = ref.getAsJsonArray(dtype.toLowerCase(java.util.Locale.ROOT));
            for (int i = 0; i < values.length; i++) {
                short got = raw.getShort((int) t.begin() + 2 * i);
                if (Float.isNaN(values[i])) {
                    // PyTorch's vectorised kernels write 0xffff, its scalar one 0x7fc0: any NaN will do
                    assertThat(dtype.equals("BF16") ? Float.isNaN(Float.intBitsToFloat(got << 16)) : Float.isNaN(Float.float16ToFloat(got))).isTrue();
                    continue;
                }
                assertThat(got).as("%s of %s (bits %08x)", dtype, values[i], f32.get(i).getAsInt())
                        .isEqualTo(expected.get(i).getAsShort());
            }
        }
    }

    @Test
    void shardsAsSavePretrainedAndReplacesAnEarlierCheckpoint() throws IOException {
        List<Safetensors.Source> tensors = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            float[] v = new float[6 * 4];
            for (int k = 0; k < v.length; k++) v[k] = i * 24 + k - 0.5f; // exact in BF16
            values.put("w" + i, v);
            tensors.add(Safetensors.Source.of("w" + i, new long[] {6, 4}, floats(v)));
        }
        // 48 bytes a tensor in BF16: a limit of 100 takes two to a shard, the fifth alone
        var mode = PosixFilePermissions.fromString("rw-r-----");
        List<Path> written = Safetensors.writeCheckpoint(dir, tensors, "BF16", 100, mode);
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("model-00001-of-00003.safetensors",
                "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", Safetensors.INDEX_FILE);
        JsonObject index = JsonFiles.readObject(dir.resolve(Safetensors.INDEX_FILE));
        assertThat(index.getAsJsonObject("metadata").get("total_size").getAsLong()).isEqualTo(5 * 48);
        assertThat(index.getAsJsonObject("weight_map").get("w2").getAsString()).isEqualTo("model-00002-of-00003.safetensors");
        assertThat(index.getAsJsonObject("weight_map").get("w4").getAsString()).isEqualTo("model-00003-of-00003.safetensors");
        for (Path p : written) assertThat(Files.getPosixFilePermissions(p)).isEqualTo(mode);
        assertThat(readAll(dir)).containsOnlyKeys(values.keySet()).allSatisfy((name, v) -> assertThat(v).containsExactly(values.get(name)));

        // a single-file checkpoint written over it removes the index and the shards
        Safetensors.writeCheckpoint(dir, tensors, "F32", Safetensors.DEFAULT_MAX_SHARD_BYTES, null);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Safetensors.SINGLE_FILE);
        }
        assertThat(readAll(dir)).allSatisfy((name, v) -> assertThat(v).containsExactly(values.get(name)));
    }

    @Test
    void tensorsLargerThanOneBufferArriveInRowBlocks() {
        float[] v = new float[10 * 3];
        for (int k = 0; k < v.length; k++) v[k] = k;
        Safetensors.write(dir.resolve(Safetensors.SINGLE_FILE), List.of(Safetensors.Source.of("big", new long[] {10, 3}, floats(v)),
                Safetensors.Source.of("small", new long[] {2}, floats(7, 8))), "F16");
        List<String> calls = new ArrayList<>();
        float[] assembled = new float[v.length];
        Safetensors.read(Safetensors.checkpointTensors(dir), new Safetensors.TensorSink() {
            @Override
            public void accept(String name, long[] shape, ByteBuffer data) {
                calls.add(name + Arrays.toString(shape));
            }

            @Override
            public void acceptRows(String name, long[] shape, long firstRow, ByteBuffer data) {
                calls.add(name + "@" + firstRow + "+" + data.remaining() / 12);
                data.asFloatBuffer().get(assembled, (int) firstRow * 3, data.remaining() / 4);
            }
        }, 48); // four rows of 12 bytes a part
        assertThat(calls).containsExactly("big@0+4", "big@4+4", "big@8+2", "small[2]");
        assertThat(assembled).containsExactly(v);
        assertThatThrownBy(() -> Safetensors.read(Safetensors.checkpointTensors(dir), (name, shape, data) -> { }, 48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big").hasMessageContaining("too large");
    }

    @Test
    void malformedFilesAreNamedWithWhatIsWrongBeforeAnyTensorIsRead() throws IOException {
        Path single = dir.resolve(Safetensors.SINGLE_FILE);
        Safetensors.write(single, List.of(Safetensors.Source.of("a", new long[] {4}, floats(1, 2, 3, 4))), "F32");
        byte[] bytes = Files.readAllBytes(single);

        Files.write(single, Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(single.toString()).hasMessageContaining("header length").hasMessageContaining("truncated");
        Files.write(single, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(single.toString()).hasMessageContaining("tensor a").hasMessageContaining("data_offsets");
        Files.write(single, new byte[3]);
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("3 bytes");
        byte[] notJson = bytes.clone();
        notJson[8] = 'x';
        Files.write(single, notJson);
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("not a JSON object");
        Files.delete(single);

        // an index whose shard is missing, and one that names a tensor its shard lacks
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), List.of(Safetensors.Source.of("a", new long[] {1}, floats(1))), "F32");
        Path index = dir.resolve(Safetensors.INDEX_FILE);
        Files.writeString(index, "{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("model-00002-of-00002.safetensors").hasMessageContaining("missing");
        Files.writeString(index, "{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"c\": \"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("weight_map.c").hasMessageContaining("no such tensor");
        Files.writeString(index, "{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> Safetensors.checkpointTensors(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("outside");
    }
}
