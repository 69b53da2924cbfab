package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code model} section: either an existing model directory ({@code path}) or a fresh model
 * ({@code init: fresh}), in the {@code format} plugin's layout (default {@code hf}), which knows what a
 * model directory holds, checks one and writes the files of a fresh one: the app names no family.
 */
final class ModelSetup {

    /** Where the initial weights come from. */
    enum Init { LOAD, FRESH }

    final Init init;
    final Path path;
    final ModelFormat format;
    private final ModelFormat.FreshModel fresh;

    private ModelSetup(Init init, Path path, ModelFormat format, ModelFormat.FreshModel fresh) {
        this.init = init;
        this.path = path;
        this.format = format;
        this.fresh = fresh;
    }

    static ModelSetup from(Settings s, PluginRegistry registry) {
        ModelFormat format = registry.select(ModelFormat.class, s, "format", "hf");
        Init init = s.choice("init", Init.class, s.has("path") ? Init.LOAD : Init.FRESH);
        if (init == Init.LOAD) {
            Path path = s.requirePath("path");
            if (!Files.isDirectory(path)) throw s.invalid("path", "expected a model directory (" + format.description() + "); " + path + " is none");
            return new ModelSetup(init, path, format, null);
        }
        return new ModelSetup(init, null, format, format.fresh(s));
    }

    /** Checks the model directory before a run writes anything ({@link ModelFormat#check}); a fresh model is checked when read. */
    void check() {
        if (init == Init.LOAD) format.check(path);
    }

    /** Writes the configuration and tokenizer files of a fresh model into {@code dir}. */
    void writeFreshFiles(Path dir) {
        fresh.writeFiles(dir);
    }
}
