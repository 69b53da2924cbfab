package io.rlvr4j.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Builds plugin jars in a test, as a third party would: javac and jar of the running JDK, against the runtime's api module. */
public final class PluginJars {

    private PluginJars() {}

    /**
     * Compiles every {@code .java} file under {@code sources} (a module: {@code module-info.java} at its
     * root) against the api module and the jars of {@code modulePath}, and jars the classes as {@code jar}.
     *
     * @return {@code jar}
     */
    public static Path build(Path sources, Path jar, List<Path> modulePath) throws Exception {
        Path classes = Files.createTempDirectory("rlvr4j-plugin-classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", apiLocation()
                + modulePath.stream().map(p -> File.pathSeparator + p).reduce("", String::concat)));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        tool("javac", args);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        tool("jar", List.of("--create", "--file", jar.toString(), "-C", classes.toString(), "."));
        return jar;
    }

    private static String apiLocation() {
        return Path.of(ModuleLayer.boot().configuration().findModule("io.rlvr4j.api").orElseThrow().reference().location().orElseThrow())
                .toString();
    }

    /** Runs a JDK tool of the running JDK (a process: the test's module graph need not hold jdk.compiler). */
    private static void tool(String name, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", name).toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", name, output).isZero();
    }
}
