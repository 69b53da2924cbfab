package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.backend.hf.AtomicFiles;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writing a model directory in Hugging Face layout, as the model came in. */
final class ModelFiles {

    /** Tokenizer, template and generation files copied from the source directory when present. */
    static final List<String> COPIED = List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "tokenizer.model", "chat_template.jinja",
            "chat_template.json");

    private ModelFiles() {
    }

    /**
     * {@return the safetensors dtype the weights of {@code modelDir} came in}: the dtype of most of its
     * checkpoint's values (F64 as F32), else its {@code config.json} {@code torch_dtype} (or transformers
     * 5's {@code dtype}) where that is float32, bfloat16 or float16, else F32
     */
    static String sourceDtype(Path modelDir, DecoderConfig config) {
        if (Safetensors.isCheckpoint(modelDir)) {
            Map<String, Long> values = new HashMap<>();
            for (Safetensors.TensorInfo t : Safetensors.checkpointTensors(modelDir).values()) values.merge(t.dtype(), t.count(), Long::sum);
            String most = values.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("F32");
            return most.equals("F64") ? "F32" : most;
        }
        for (String key : new String[] {"torch_dtype", "dtype"}) {
            JsonElement e = config.json().get(key);
            String dtype = e != null && e.isJsonPrimitive() ? DjlSettings.safetensorsDtype(e.getAsString()) : null;
            if (dtype != null) return dtype;
        }
        return "F32";
    }

    /**
     * Writes the weights in {@code dtype} ({@link Safetensors#writeCheckpoint}: one file, or shards of at
     * most {@code maxShardBytes} with their index), {@code config.json} with {@code torch_dtype} (and
     * {@code dtype}, where the source has that key) saying so, and the tokenizer, template and generation
     * files of {@code sourceDir} into {@code dir}, every file with the mode of the source's
     * {@code config.json}. Each file is written atomically; the weights go first, so a directory with a
     * new {@code config.json} has its weights.
     */
    static void save(Qwen2Model model, Path sourceDir, Path dir, String dtype, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Set<PosixFilePermission> mode = AtomicFiles.mode(sourceDir.resolve("config.json"));
        List<Safetensors.Source> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) tensors.add(new Safetensors.Source(e.getKey(), e.getValue().getShape().getShape(),
                (from, to) -> rows(e.getValue(), from, to)));
        Safetensors.writeCheckpoint(dir, tensors, dtype, maxShardBytes, mode);
        JsonObject config = model.config().json().deepCopy();
        config.addProperty("torch_dtype", DjlSettings.torchDtype(dtype));
        if (config.has("dtype")) config.addProperty("dtype", DjlSettings.torchDtype(dtype));
        AtomicFiles.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n", mode);
        for (String name : COPIED) {
            Path source = sourceDir.resolve(name);
            Path target = dir.resolve(name);
            if (Files.isRegularFile(source) && !isSameFile(source, target)) AtomicFiles.copy(source, target);
        }
    }

    /** Rows {@code [from, to)} of {@code array}, copied out (a slice at a time, so no tensor needs one buffer of its own). */
    static ByteBuffer rows(NDArray array, long from, long to) {
        try (Ops.GradMode _ = Ops.gradMode(false); NDScope _ = new NDScope()) {
            NDArray slice = array.getShape().dimension() == 0 ? array : array.get(new NDIndex().addSliceDim(from, to));
            ByteBuffer data = slice.toByteBuffer().order(ByteOrder.nativeOrder());
            return ByteBuffer.allocate(data.remaining()).order(ByteOrder.nativeOrder()).put(data).flip();
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
