package io.rlvr4j.app.cli;

import io.rlvr4j.app.image.ImageBuilder;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlvr4j image}: a self-contained runtime of chosen plugins ({@link ImageBuilder}). */
@Command(name = "image", mixinStandardHelpOptions = true,
        header = "Build a self-contained runtime that carries only the chosen plugins.",
        description = {"Build a self-contained runtime that carries only the chosen plugins: a JDK trimmed with",
                "jlink to the modules they need, the app, the api, the plugins' modules and their libraries,",
                "and a launcher (DIR/bin/rlvr4j) that needs no JDK on the machine. A plugin name selects its",
                "module, with every plugin of that module (rloo brings grpo and reinforce_pp).",
                "Needs a JDK (jlink, jdeps): run it from ./rlvr4j."},
        footer = {"", "Examples:",
                "  rlvr4j image --plugins djl,rloo,math,arithmetic --output images/math-rl   (the default run's plugins)",
                "  rlvr4j image --plugins code,jsonl --output images/code-verifier",
                "  images/math-rl/bin/rlvr4j run"})
public final class ImageCommand implements Callable<Integer> {

    @Option(names = "--plugins", split = ",", required = true, paramLabel = "NAME", description = "Plugins to carry, by name (see `rlvr4j plugins`).")
    List<String> plugins = new ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the image (must not exist, or be empty).")
    Path output;

    @Override
    public Integer call() {
        ImageBuilder builder = new ImageBuilder(System.err);
        ImageBuilder.Plan plan;
        try {
            plan = builder.plan(PluginRegistry.discover(), plugins);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        System.err.printf(Locale.ROOT, "rlvr4j image: plugins %s: modules %s; %d jars%s%n", String.join(", ", plan.plugins()),
                String.join(", ", plan.pluginModules()), plan.jars().size(), plan.classPath().isEmpty() ? "" : " + " + plan.classPath().size()
                        + " native on the class path");
        long bytes = builder.build(plan, output);
        System.out.printf(Locale.ROOT, "rlvr4j image: %s, %.1f MB; run it with %s%n", output, bytes / 1e6, output.resolve("bin/rlvr4j"));
        return 0;
    }
}
