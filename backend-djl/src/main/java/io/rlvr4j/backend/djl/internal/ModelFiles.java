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
        try (ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) { // LoRA's merged weights, freed once written
            List<Safetensors.Source> tensors = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : model.effectiveParameters().entrySet()) tensors.add(new Safetensors.Source(e.getKey(),
                    e.getValue().getShape().getShape(), (from, to) -> rows(e.getValue(), from, to)));
            Safetensors.writeCheckpoint(dir, tensors, dtype, maxShardBytes, mode);
        }
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

    /** The directory beside a saved model that holds its LoRA adapter, as PEFT's {@code save_pretrained} writes one. */
    static final String ADAPTER_DIR = "adapter";

    /**
     * Writes {@code adapters} as a PEFT adapter directory: {@code adapter_config.json} (LoRA, r,
     * lora_alpha, lora_dropout, target_modules, the base model) and {@code adapter_model.safetensors}
     * (float32, PEFT's names).
     */
    static void saveAdapter(LoraAdapters adapters, Path baseModel, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<Safetensors.Source> tensors = new ArrayList<>();
        adapters.tensors().forEach((name, a) -> tensors.add(new Safetensors.Source(name, a.getShape().getShape(), (from, to) -> rows(a, from, to))));
        Safetensors.write(dir.resolve("adapter_model.safetensors"), tensors, "F32");
        LoraAdapters.Spec spec = adapters.spec();
        JsonObject config = new JsonObject();
        config.addProperty("peft_type", "LORA");
        config.addProperty("task_type", "CAUSAL_LM");
        config.addProperty("base_model_name_or_path", baseModel.toAbsolutePath().toString());
        config.addProperty("r", spec.rank());
        config.addProperty("lora_alpha", spec.alpha());
        config.addProperty("lora_dropout", spec.dropout());
        com.google.gson.JsonArray targets = new com.google.gson.JsonArray();
        spec.targets().forEach(targets::add);
        config.add("target_modules", targets);
        config.addProperty("bias", "none");
        config.addProperty("fan_in_fan_out", false);
        config.addProperty("inference_mode", true);
        config.addProperty("init_lora_weights", true);
        AtomicFiles.writeString(dir.resolve("adapter_config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n", null);
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
