package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.app.image.ImageBuilder;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small custom runtime (the math verifier alone) built with jlink and run with no JDK on the path:
 * it holds a trimmed JDK and only the chosen plugin, lists exactly that, and verifies with it.
 */
@Tag("slow")
class ImageTest {

    @TempDir
    Path tmp;

    /** Runs {@code command} with a bare environment (no JAVA_HOME, no JDK on PATH) and {@return its output}, asserting success. */
    private String bare(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", tmp.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aMathVerifierImageRunsWithoutAJdkAndHoldsOnlyItsPlugin() throws Exception {
        ImageBuilder builder = new ImageBuilder(System.err);
        ImageBuilder.Plan plan = builder.plan(PluginRegistry.discover(tmp.resolve("no-plugins")), List.of("math"));
        assertThat(plan.pluginModules()).containsExactly("io.rlvr4j.verifier.math");
        assertThat(plan.jars()).containsKeys("io.rlvr4j.app", "io.rlvr4j.api", "io.rlvr4j.verifier.math")
                .doesNotContainKeys("io.rlvr4j.backend.djl", "ai.djl.api", "org.graalvm.polyglot", "io.rlvr4j.data");
        assertThat(plan.jdkModules()).contains("java.base", "java.logging").doesNotContain("java.desktop", "jdk.compiler");
        Path image = tmp.resolve("image");
        long bytes = builder.build(plan, image);
        assertThat(bytes).isLessThan(150_000_000L);

        String modules = bare(List.of(image.resolve("runtime/bin/java").toString(), "--list-modules"));
        assertThat(modules.lines().map(l -> l.replaceAll("@.*", ""))).containsExactlyInAnyOrderElementsOf(plan.jdkModules());

        String rlvr4j = image.resolve("bin/rlvr4j").toString();
        List<String> rows = bare(List.of(rlvr4j, "plugins")).lines().filter(l -> l.matches("^[A-Z][A-Za-z]+ +\\S+ +io\\.rlvr4j.*")).toList();
        assertThat(rows).hasSize(1).first().asString().startsWith("RewardFunction   math");

        Path cases = tmp.resolve("cases.jsonl");
        Files.writeString(cases, "{\"gold\": \"1/2\", \"pred\": \"\\\\boxed{0.5}\"}\n{\"gold\": \"3\", \"pred\": \"\\\\boxed{4}\"}\n");
        bare(List.of(rlvr4j, "verify", "math", "--input", cases.toString(), "--output", tmp.resolve("verdicts.jsonl").toString()));
        List<String> verdicts = Files.readAllLines(tmp.resolve("verdicts.jsonl"));
        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0)).contains("\"equal\":true");
        assertThat(verdicts.get(1)).contains("\"equal\":false");
    }
}
