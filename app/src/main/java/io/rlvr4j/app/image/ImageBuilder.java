package io.rlvr4j.app.image;

import io.rlvr4j.app.pipeline.Checkpoints;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A self-contained runtime of the chosen plugins: a JDK trimmed with {@code jlink} to the JDK
 * modules they need, and beside it the jars of the app, the api, the chosen plugins' modules and
 * their libraries, on the module path of a launcher script.
 *
 * <p>The jars are carried beside the linked JDK, not linked into it: {@code jlink} links only
 * explicit modules, and several libraries the plugins need (DJL, ONNX Runtime, JNA, protobuf) are
 * automatic modules, which also taint every module that requires them. Giving each one a
 * hand-written descriptor at build time would have to be redone at every library update (see
 * {@code docs/images.md}).
 *
 * <p>Which jars: from the app and the chosen plugins' modules, every module they require (the
 * descriptors of explicit modules; {@code jdeps} for automatic ones), and the providers of every
 * service those modules use, except rlvr4j's own SPIs (so no other plugin comes along). Which JDK
 * modules: the same walk's {@code java.*} and {@code jdk.*} requirements, with {@code jdeps}' for the
 * automatic jars, plus {@code jdk.zipfs} and {@code jdk.unsupported}, which libraries reach by
 * reflection, and the few jars a library loads as resources ({@link #COMPANIONS}).
 */
public final class ImageBuilder {

    /** JDK modules every image gets: found by reflection or service lookup, which no descriptor shows. */
    private static final List<String> BASE_JDK = List.of("java.base", "jdk.zipfs", "jdk.unsupported");

    /**
     * Jars a module needs at run time that neither its descriptor nor its bytecode shows: DJL's
     * PyTorch engine finds its JNI library as a resource of {@code ai.djl.pytorch_jni} (and libtorch
     * in the class-path jar, added below).
     */
    private static final Map<String, List<String>> COMPANIONS = Map.of("ai.djl.pytorch_engine", List.of("ai.djl.pytorch_jni"));

    private final Path jdk = Path.of(System.getProperty("java.home"));
    private final PrintStream log;

    public ImageBuilder(PrintStream log) {
        this.log = log;
    }

    /** What an image holds. */
    public record Plan(List<String> plugins, Set<String> pluginModules, Map<String, Path> jars, List<Path> classPath, Set<String> jdkModules) {}

    /**
     * {@return the modules, jars and JDK modules of an image of the plugins named {@code names}}
     *
     * @throws IllegalArgumentException naming an unknown plugin, with the installed ones
     */
    public Plan plan(PluginRegistry registry, List<String> names) {
        Set<String> pluginModules = new TreeSet<>();
        for (String name : names) {
            List<PluginRegistry.Entry> matches = registry.all().stream().filter(e -> e.name().equals(name)).toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("no plugin is named '" + name + "'. Installed: "
                        + String.join(", ", new TreeSet<>(registry.all().stream().map(PluginRegistry.Entry::name).toList())) + ".");
            }
            for (PluginRegistry.Entry e : matches) {
                Module m = e.plugin().getClass().getModule();
                if (m.getLayer() != ModuleLayer.boot()) {
                    throw new IllegalArgumentException("plugin '" + name + "' comes from the plugin directory; an image holds the runtime's own "
                            + "plugins (drop third-party ones into the image's plugin directory instead)");
                }
                pluginModules.add(m.getName());
            }
        }
        Map<String, ResolvedModule> boot = new LinkedHashMap<>();
        for (ResolvedModule m : ModuleLayer.boot().configuration().modules()) boot.put(m.name(), m);
        Set<String> jdkModules = new TreeSet<>(BASE_JDK);
        Set<String> modules = new TreeSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of("io.rlvr4j.app"));
        queue.addAll(pluginModules);
        Path modulePath = null;
        try {
            while (!queue.isEmpty()) {
                while (!queue.isEmpty()) {
                    String name = queue.pop();
                    if (isJdk(name)) {
                        jdkModules.add(name);
                        continue;
                    }
                    ResolvedModule m = boot.get(name);
                    if (m == null || !modules.add(name)) continue;
                    queue.addAll(COMPANIONS.getOrDefault(name, List.of()));
                    ModuleDescriptor d = m.reference().descriptor();
                    if (d.isAutomatic()) {
                        if (modulePath == null) modulePath = linkedModulePath(boot);
                        queue.addAll(jdeps(modulePath, location(m)));
                    } else {
                        for (ModuleDescriptor.Requires r : d.requires()) {
                            if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) queue.add(r.name());
                        }
                    }
                }
                // the libraries' own services (Truffle languages, SLF4J bindings, DJL engines), not rlvr4j's SPIs
                for (String name : List.copyOf(modules)) {
                    for (String service : boot.get(name).reference().descriptor().uses()) {
                        if (service.startsWith("io.rlvr4j.api.")) continue;
                        for (ResolvedModule p : boot.values()) {
                            boolean provides = p.reference().descriptor().provides().stream().anyMatch(x -> x.service().equals(service));
                            if (provides && !modules.contains(p.name())) queue.add(p.name());
                        }
                    }
                }
            }
        } finally {
            if (modulePath != null) {
                try {
                    Checkpoints.deleteTree(modulePath);
                } catch (IOException ignored) {
                    // a temporary directory of links: left for the system's cleanup
                }
            }
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String name : modules) jars.put(name, location(boot.get(name)));
        // libtorch's native jar is on the class path (it has no valid module name): it goes with the DJL engine
        List<Path> classPath = new ArrayList<>();
        if (modules.contains("ai.djl.pytorch_engine")) {
            for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (!entry.isBlank() && Path.of(entry).getFileName().toString().startsWith("pytorch-native")) classPath.add(Path.of(entry));
            }
        }
        return new Plan(List.copyOf(names), pluginModules, jars, classPath, jdkModules);
    }

    private static boolean isJdk(String module) {
        return module.startsWith("java.") || module.startsWith("jdk.");
    }

    private static Path location(ResolvedModule m) {
        return Path.of(m.reference().location().orElseThrow(() -> new IllegalStateException("module " + m.name() + " has no file")));
    }

    /** A directory of links to every boot-layer jar, the module path {@code jdeps} resolves against. */
    private static Path linkedModulePath(Map<String, ResolvedModule> boot) {
        try {
            Path dir = Files.createTempDirectory("rlvr4j-image-mp");
            for (ResolvedModule m : boot.values()) {
                if (isJdk(m.name()) || m.reference().location().isEmpty()) continue;
                Path jar = location(m);
                if (Files.isRegularFile(jar)) Files.createSymbolicLink(dir.resolve(m.name() + ".jar"), jar.toAbsolutePath());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the module path for jdeps", e);
        }
    }

    /** {@return the modules {@code jar} needs}, by {@code jdeps --print-module-deps} */
    private List<String> jdeps(Path modulePath, Path jar) {
        String out = tool("jdeps", List.of("--module-path", modulePath.toString(), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", Integer.toString(Runtime.version().feature()), jar.toString()));
        String last = out.lines().filter(l -> !l.startsWith("Warning") && !l.isBlank()).reduce((a, b) -> b).orElse("");
        return last.isEmpty() ? List.of() : List.of(last.strip().split(","));
    }

    /**
     * Builds the image of {@code plan} in {@code output} (which must not exist, or be empty).
     *
     * @return the image's size in bytes
     */
    public long build(Plan plan, Path output) {
        try {
            if (Files.exists(output)) {
                try (Stream<Path> s = Files.list(output)) {
                    if (s.findAny().isPresent()) throw new IllegalArgumentException("the output directory " + output + " is not empty");
                }
                Files.delete(output);
            }
            log.printf("rlvr4j image: linking a JDK of %d modules (%s) ...%n", plan.jdkModules().size(), String.join(",", plan.jdkModules()));
            tool("jlink", List.of("--add-modules", String.join(",", plan.jdkModules()), "--strip-debug", "--no-man-pages",
                    "--no-header-files", "--compress", "zip-6", "--output", output.resolve("runtime").toString()));
            Path lib = Files.createDirectories(output.resolve("lib"));
            for (Map.Entry<String, Path> e : plan.jars().entrySet()) {
                Path from = e.getValue();
                // an exploded module (a build's classes directory, as in tests) is jarred; a jar is copied
                if (Files.isDirectory(from)) tool("jar", List.of("--create", "--file", lib.resolve(e.getKey() + ".jar").toString(), "-C", from.toString(), "."));
                else Files.copy(from, lib.resolve(from.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            if (!plan.classPath().isEmpty()) {
                Path cp = Files.createDirectories(output.resolve("lib-classpath"));
                for (Path jar : plan.classPath()) Files.copy(jar, cp.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            Path bin = Files.createDirectories(output.resolve("bin"));
            Path launcher = bin.resolve("rlvr4j");
            Files.writeString(launcher, launcher(plan), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(output.resolve("plugins.txt"), String.join("\n", plan.plugins()) + "\n");
            return size(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image in " + output + ": " + e.getMessage(), e);
        }
    }

    private static String launcher(Plan plan) {
        List<String> nativeAccess = new ArrayList<>(List.of("ALL-UNNAMED"));
        for (String m : List.of("com.sun.jna", "ai.djl.pytorch_engine", "ai.djl.tokenizers", "org.graalvm.truffle", "com.microsoft.onnxruntime", "duckdb.jdbc")) {
            if (plan.jars().containsKey(m)) nativeAccess.add(m);
        }
        String classPath = plan.classPath().isEmpty() ? "" : " --class-path \"$(ls \"$HOME_DIR\"/lib-classpath/*.jar | tr '\\n' ':')\"";
        return """
                #!/usr/bin/env bash
                # rlvr4j runtime image: %s
                # A trimmed JDK (runtime/) and the jars of these plugins (lib/), built by `rlvr4j image`.
                set -euo pipefail
                HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
                export ORT_DISABLE_TELEMETRY=1
                # shellcheck disable=SC2086
                exec "$HOME_DIR/runtime/bin/java" -Dai.djl.offline=true --enable-native-access=%s \\
                  --sun-misc-unsafe-memory-access=allow -Xss4m ${RLVR4J_JAVA_OPTS:-} \\
                  --module-path "$HOME_DIR/lib"%s --add-modules ALL-MODULE-PATH \\
                  --module io.rlvr4j.app/io.rlvr4j.app.Main "$@"
                """.formatted(String.join(", ", plan.plugins()), String.join(",", nativeAccess), classPath);
    }

    private String tool(String name, List<String> args) {
        Path exe = jdk.resolve("bin").resolve(name);
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("rlvr4j image needs a JDK with " + name + " (this runtime at " + jdk + " has none)");
        }
        List<String> command = new ArrayList<>(List.of(exe.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(name + " failed: " + out.strip());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + exe, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    /** {@return the bytes of the files under {@code dir}} */
    public static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
