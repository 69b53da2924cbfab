package io.rlvr4j.app.plugins;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Third-party plugins dropped into a directory, each loaded in its own {@link ModuleLayer} over the
 * runtime's boot layer, so that its modules see the {@code io.rlvr4j.api} module (and the JDK) the
 * runtime has, and nothing of another drop-in.
 *
 * <p>A plugin is either one jar directly in the directory (a modular jar, or a plain jar with
 * {@code META-INF/services} entries, which becomes an automatic module), or a subdirectory whose jars
 * are the plugin and the libraries it needs. A plugin that cannot be loaded (not a jar, a module it
 * needs missing, a split package, a module the runtime already has) is reported, naming its file and
 * why, and the others load as if it were not there.
 */
public final class PluginDirectory {

    /** Where the runtime looks when no directory is given: {@code $XDG_CONFIG_HOME/rlvr4j/plugins}, or {@code ~/.config/rlvr4j/plugins}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("rlvr4j").resolve("plugins");
    }

    /** A plugin of the directory: its file, and the layer its modules were defined in, or why it could not be loaded. */
    public record Loaded(Path file, ModuleLayer layer, String problem) {

        /** {@return whether the plugin's modules were defined} */
        public boolean ok() {
            return layer != null;
        }
    }

    private PluginDirectory() {}

    /**
     * Loads every plugin of {@code dir} (in file-name order; none if the directory does not exist).
     *
     * @throws IllegalArgumentException if {@code dir} exists but is not a directory, or cannot be listed
     */
    public static List<Loaded> load(Path dir) {
        if (!Files.exists(dir)) return List.of();
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("the plugin directory " + dir + " is not a directory");
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the plugin directory " + dir + ": " + e.getMessage(), e);
        }
        List<Loaded> out = new ArrayList<>();
        for (Path entry : entries) out.add(loadOne(entry));
        return out;
    }

    private static Loaded loadOne(Path plugin) {
        try {
            ModuleFinder finder = ModuleFinder.of(plugin);
            Set<ModuleReference> found = finder.findAll();
            if (found.isEmpty()) return new Loaded(plugin, null, "no jar in it");
            ModuleLayer boot = ModuleLayer.boot();
            List<String> shadowing = found.stream().map(r -> r.descriptor().name()).filter(n -> boot.findModule(n).isPresent()).sorted().toList();
            if (!shadowing.isEmpty()) {
                return new Loaded(plugin, null, "the runtime already has module" + (shadowing.size() > 1 ? "s " : " ")
                        + String.join(", ", shadowing) + "; remove the copy from the plugin");
            }
            Set<String> roots = found.stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
            Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
            return new Loaded(plugin, layer, null);
        } catch (FindException | ResolutionException | LayerInstantiationException | SecurityException e) {
            return new Loaded(plugin, null, firstLine(e));
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) m += ": " + cause.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** {@return the plugin files that could not be loaded, with why} */
    public static Map<Path, String> problems(List<Loaded> loaded) {
        return loaded.stream().filter(l -> !l.ok()).collect(Collectors.toMap(Loaded::file, Loaded::problem, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }
}
