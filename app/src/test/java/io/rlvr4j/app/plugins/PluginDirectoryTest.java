package io.rlvr4j.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party plugins in the plugin directory, compiled here against the runtime's api module: each
 * loads in its own module layer and joins the registry; a broken one is reported by file and leaves
 * the others working.
 */
class PluginDirectoryTest {

    @TempDir
    Path tmp;

    private static final String EXACT = """
            package com.example.exact;

            import io.rlvr4j.api.Problem;
            import io.rlvr4j.api.RewardFunction;
            import io.rlvr4j.api.RewardResult;
            import io.rlvr4j.api.Verifier;
            import io.rlvr4j.api.config.Settings;
            import java.util.Map;

            public final class ExactReward implements RewardFunction {
                @Override public String name() { return "%s"; }
                @Override public String description() { return "the response equals the answer"; }
                @Override public Verifier create(Settings settings) {
                    return new Verifier() {
                        @Override public boolean supports(String domain) { return true; }
                        @Override public RewardResult score(Problem p, String response) {
                            boolean ok = response.strip().equals(p.answer());
                            return new RewardResult(ok ? 1 : 0, ok ? 1 : 0, ok ? RewardResult.Outcome.CORRECT : RewardResult.Outcome.WRONG, Map.of());
                        }
                    };
                }
            }
            """;

    /** Writes {@code sources} (path → text) of module {@code module} and builds them into {@code jar}, with {@code modulePath}. */
    private Path plugin(Path jar, String module, Map<String, String> sources, String modulePath) throws Exception {
        Path src = Files.createTempDirectory(tmp, module);
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        return PluginJars.build(src, jar, modulePath == null ? List.of() : List.of(Path.of(modulePath)));
    }

    private Path exactPlugin(Path jar, String module, String name) throws Exception {
        String pkg = module.replace('.', '/');
        return plugin(jar, module, Map.of(
                "module-info.java", "module " + module + " { requires io.rlvr4j.api; provides io.rlvr4j.api.RewardFunction with "
                        + module + ".ExactReward; }",
                pkg + "/ExactReward.java", EXACT.formatted(name).replace("package com.example.exact;", "package " + module + ";")), null);
    }

    /** A library module, {@code com.example.shoutlib}, that a plugin may need. */
    private Path shoutLibrary(Path jar) throws Exception {
        return plugin(jar, "com.example.shoutlib", Map.of(
                "module-info.java", "module com.example.shoutlib { exports com.example.shoutlib; }",
                "com/example/shoutlib/Shout.java", "package com.example.shoutlib; public final class Shout { public static String of(String s) { return s.toUpperCase(); } }"),
                null);
    }

    @Test
    void aDroppedInPluginJoinsTheRegistryInItsOwnLayer() throws Exception {
        Path dir = tmp.resolve("plugins");
        exactPlugin(dir.resolve("exact.jar"), "com.example.exact", "exact");
        PluginRegistry registry = PluginRegistry.discover(dir);
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.names(PluginRegistry.Spi.REWARD_FUNCTION)).contains("exact", "math");
        PluginRegistry.Entry e = registry.all().stream().filter(x -> x.name().equals("exact")).findFirst().orElseThrow();
        assertThat(e.module()).isEqualTo("com.example.exact (exact.jar)");
        assertThat(e.plugin().getClass().getModule().getLayer()).isNotSameAs(ModuleLayer.boot());
        RewardFunction fn = registry.select(RewardFunction.class, Settings.of(Map.of("name", "exact")), "name", null);
        try (Verifier v = fn.create(Settings.of(Map.of()))) {
            assertThat(v.score(Problem.of("1", "math", "1+1=", "2"), " 2 ").correct()).isTrue();
        }
    }

    @Test
    void aPluginOfSeveralJarsLoadsFromItsSubdirectory() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path lib = shoutLibrary(dir.resolve("shout/shout-lib.jar"));
        plugin(dir.resolve("shout/shout.jar"), "com.example.shout", Map.of(
                "module-info.java", "module com.example.shout { requires io.rlvr4j.api; requires com.example.shoutlib; "
                        + "provides io.rlvr4j.api.RewardFunction with com.example.shout.ShoutReward; }",
                "com/example/shout/ShoutReward.java", """
                        package com.example.shout;
                        public final class ShoutReward implements io.rlvr4j.api.RewardFunction {
                            @Override public String name() { return com.example.shoutlib.Shout.of("shout").toLowerCase(); }
                            @Override public io.rlvr4j.api.Verifier create(io.rlvr4j.api.config.Settings s) { throw new UnsupportedOperationException(); }
                        }
                        """), lib.toString());
        PluginRegistry registry = PluginRegistry.discover(dir);
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.names(PluginRegistry.Spi.REWARD_FUNCTION)).contains("shout");
    }

    @Test
    void aBrokenPluginIsReportedByFileAndTheOthersStillLoad() throws Exception {
        Path dir = tmp.resolve("plugins");
        exactPlugin(dir.resolve("b-exact.jar"), "com.example.exact", "exact");
        Files.writeString(dir.resolve("a-broken.jar"), "not a zip file");
        plugin(dir.resolve("c-needs-missing.jar"), "com.example.needy", Map.of(
                "module-info.java", "module com.example.needy { requires io.rlvr4j.api; requires com.example.shoutlib; }",
                "com/example/needy/Needy.java", "package com.example.needy; public final class Needy { }"),
                shoutLibrary(tmp.resolve("elsewhere/shout-lib.jar")).toString());
        exactPlugin(dir.resolve("d-claims-math.jar"), "com.example.impostor", "math");
        Files.writeString(dir.resolve("notes.txt"), "not a plugin: ignored");

        PluginRegistry registry = PluginRegistry.discover(dir);
        Map<Path, String> problems = registry.problems();
        assertThat(problems.keySet().stream().map(p -> p.getFileName().toString()))
                .containsExactly("a-broken.jar", "c-needs-missing.jar", "d-claims-math.jar");
        assertThat(problems.get(dir.resolve("c-needs-missing.jar"))).contains("com.example.shoutlib");
        assertThat(problems.get(dir.resolve("d-claims-math.jar"))).contains("reward function 'math' is already provided by io.rlvr4j.verifier.math");
        assertThat(registry.names(PluginRegistry.Spi.REWARD_FUNCTION)).contains("exact", "math");
        PluginRegistry.Entry math = registry.all().stream().filter(x -> x.name().equals("math")).findFirst().orElseThrow();
        assertThat(math.module()).startsWith("io.rlvr4j.verifier.math");
    }

    @Test
    void aMissingDirectoryHasNoPlugins() {
        PluginRegistry registry = PluginRegistry.discover(tmp.resolve("none"));
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.names(PluginRegistry.Spi.ALGORITHM)).contains("rloo");
    }

    @Test
    void thePluginsCommandListsDropInsAndWhatWasLeftOut() throws Exception {
        Path dir = tmp.resolve("plugins");
        exactPlugin(dir.resolve("exact.jar"), "com.example.exact", "exact");
        Files.writeString(dir.resolve("broken.jar"), "not a zip file");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(io.rlvr4j.app.cli.RootCommand.commandLine().execute("plugins", "--plugins-dir", dir.toString())).isZero();
        } finally {
            System.setOut(previous);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("com.example.exact (exact.jar)").contains("not loaded: broken.jar");
        try (Stream<String> lines = text.lines()) {
            assertThat(lines.filter(l -> l.contains(" exact ")).count()).isEqualTo(1);
        }
    }
}
