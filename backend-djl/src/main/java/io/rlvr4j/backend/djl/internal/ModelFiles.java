package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.Safetensors;
import io.rlvr4j.backend.hf.AtomicFiles;
import ai.djl.ndarray.NDArray;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writing a model directory in Hugging Face layout. */
final class ModelFiles {

    /** Tokenizer and generation files copied from the source directory when present. */
    static final List<String> COPIED = List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja");

    private ModelFiles() {
    }

    /**
     * Writes {@code model.safetensors} (F32), {@code config.json} ({@code torch_dtype} set to
     * float32) and the tokenizer files of {@code sourceDir} into {@code dir}. Each file is written
     * atomically; the weights go first, so a directory with a new {@code config.json} has its weights.
     */
    static void save(Qwen2Model model, Path sourceDir, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<Safetensors.Source> tensors = new ArrayList<>();
        try (Ops.GradMode _ = Ops.gradMode(false); ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) {
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                tensors.add(new Safetensors.Source(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toByteBuffer()));
            }
            Safetensors.write(dir.resolve(Safetensors.SINGLE_FILE), tensors);
        }
        JsonObject config = model.config().json().deepCopy();
        config.addProperty("torch_dtype", "float32");
        AtomicFiles.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n");
        for (String name : COPIED) {
            Path source = sourceDir.resolve(name);
            Path target = dir.resolve(name);
            if (Files.isRegularFile(source) && !isSameFile(source, target)) AtomicFiles.copy(source, target);
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
