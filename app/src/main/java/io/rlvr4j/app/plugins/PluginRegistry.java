package io.rlvr4j.app.plugins;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.Plugin;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The plugins installed in this runtime, found with {@link ServiceLoader}, by SPI and name: those on
 * the module path, then the third-party plugins of the plugin directory ({@link PluginDirectory},
 * each in its own module layer). Lookups fail loudly: an unknown name lists the installed ones; two
 * plugins on the module path claiming one name is an error, with both modules named; a drop-in plugin
 * that claims a name already taken, or cannot be loaded, is left out and reported
 * ({@link #problems()}), and the rest work.
 */
public final class PluginRegistry {

    /** The SPIs, with the words configuration and messages use for them. */
    public enum Spi {
        POLICY_BACKEND(PolicyBackend.class, "policy backend"),
        ROLLOUT_ENGINE(RolloutEngine.class, "rollout engine"),
        ALGORITHM(Algorithm.class, "algorithm"),
        REWARD_FUNCTION(RewardFunction.class, "reward function"),
        DATA_SOURCE(DataSource.class, "data source"),
        MODEL_FORMAT(ModelFormat.class, "model format");

        final Class<? extends Plugin> type;
        final String noun;

        Spi(Class<? extends Plugin> type, String noun) {
            this.type = type;
            this.noun = noun;
        }

        /** {@return the SPI interface} */
        public Class<? extends Plugin> type() {
            return type;
        }

        /** {@return the noun used in messages, e.g. {@code algorithm}} */
        public String noun() {
            return noun;
        }
    }

    /** One installed plugin: what it is and where it comes from. */
    public record Entry(Spi spi, String name, String description, String module, Plugin plugin) {}

    private final Map<Spi, Map<String, Entry>> bySpi = new TreeMap<>();
    private final Map<Path, String> problems = new LinkedHashMap<>();

    /** The plugin directory of this process: {@code --plugins-dir}, else {@link PluginDirectory#defaultDirectory()}. */
    private static volatile Path directory;

    private PluginRegistry() {}

    /** Makes {@link #discover()} read third-party plugins from {@code dir} (the {@code --plugins-dir} option). */
    public static void useDirectory(Path dir) {
        directory = dir;
    }

    /** {@return the plugin directory {@link #discover()} reads} */
    public static Path directory() {
        Path d = directory;
        return d != null ? d : PluginDirectory.defaultDirectory();
    }

    /**
     * {@return the plugins of the module path and of the plugin directory}; a drop-in plugin that
     * cannot be loaded is reported on standard error, naming its file, and left out
     *
     * @throws IllegalStateException when two plugins of one SPI on the module path claim the same name
     */
    public static PluginRegistry discover() {
        PluginRegistry r = discover(directory());
        r.problems.forEach((file, why) -> System.err.println("rlvr4j: plugin " + file + " not loaded: " + why));
        return r;
    }

    /** {@return the plugins of the module path and of {@code pluginDir}}, without reporting */
    public static PluginRegistry discover(Path pluginDir) {
        PluginRegistry r = of(spi -> loadAll(spi.type));
        List<PluginDirectory.Loaded> loaded = PluginDirectory.load(pluginDir);
        r.problems.putAll(PluginDirectory.problems(loaded));
        for (PluginDirectory.Loaded l : loaded) {
            if (l.ok()) r.addLayer(l);
        }
        return r;
    }

    /** Adds the providers defined in a drop-in plugin's layer (not those of its parent layers). */
    private void addLayer(PluginDirectory.Loaded l) {
        List<String> why = new ArrayList<>();
        for (Spi spi : Spi.values()) {
            List<? extends ServiceLoader.Provider<? extends Plugin>> providers;
            try {
                providers = ServiceLoader.load(l.layer(), spi.type).stream().filter(p -> p.type().getModule().getLayer() == l.layer()).toList();
            } catch (ServiceConfigurationError e) {
                why.add(e.getMessage());
                continue;
            }
            for (ServiceLoader.Provider<? extends Plugin> provider : providers) {
                Plugin p;
                try {
                    p = provider.get();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    why.add(provider.type().getName() + " could not be created: " + e);
                    continue;
                }
                Entry e = new Entry(spi, p.name(), p.description(), moduleOf(p.getClass()) + " (" + l.file().getFileName() + ")", p);
                Entry clash = bySpi.get(spi).putIfAbsent(p.name(), e);
                if (clash != null) why.add(spi.noun + " '" + p.name() + "' is already provided by " + clash.module() + ", so this one is left out");
            }
        }
        if (!why.isEmpty()) problems.put(l.file(), String.join("; ", why));
    }

    /** {@return the drop-in plugins left out, by file, with why} */
    public Map<Path, String> problems() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    /** {@return a registry over the given providers} (for tests and custom layers) */
    public static PluginRegistry of(Function<Spi, List<? extends Plugin>> providers) {
        PluginRegistry r = new PluginRegistry();
        for (Spi spi : Spi.values()) {
            Map<String, Entry> named = new TreeMap<>();
            for (Plugin p : providers.apply(spi)) {
                Entry e = new Entry(spi, p.name(), p.description(), moduleOf(p.getClass()), p);
                Entry clash = named.putIfAbsent(p.name(), e);
                if (clash != null) {
                    throw new IllegalStateException("Two plugins claim " + spi.noun + " '" + p.name() + "': "
                            + clash.module() + " and " + e.module() + ". Remove one of them from the module path.");
                }
            }
            r.bySpi.put(spi, named);
        }
        return r;
    }

    private static List<Plugin> loadAll(Class<? extends Plugin> type) {
        List<Plugin> out = new ArrayList<>();
        ServiceLoader.load(type).forEach(out::add);
        return out;
    }

    private static String moduleOf(Class<?> c) {
        Module m = c.getModule();
        if (!m.isNamed()) {
            var src = c.getProtectionDomain().getCodeSource();
            return "class path" + (src == null ? "" : " (" + src.getLocation().getPath().replaceAll(".*/", "") + ")");
        }
        return m.getDescriptor() == null ? m.getName() : m.getDescriptor().toNameAndVersion();
    }

    /** {@return every installed plugin, by SPI then name} */
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        bySpi.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** {@return the names installed for {@code spi}, sorted} */
    public List<String> names(Spi spi) {
        return List.copyOf(bySpi.get(spi).keySet());
    }

    /**
     * {@return the plugin of {@code type} named by {@code settings}' {@code key}}
     *
     * @throws ConfigException naming the file, line and key, with the installed choices
     */
    public <T extends Plugin> T select(Class<T> type, Settings settings, String key, String defaultName) {
        String name = defaultName == null ? settings.requireString(key) : settings.string(key, defaultName);
        try {
            return named(type, name);
        } catch (IllegalArgumentException e) {
            throw settings.invalid(key, e.getMessage());
        }
    }

    /**
     * {@return the plugin of {@code type} named {@code name}}
     *
     * @throws IllegalArgumentException when none is installed, listing those that are
     */
    public <T extends Plugin> T named(Class<T> type, String name) {
        Spi spi = spiOf(type);
        Entry e = bySpi.get(spi).get(name);
        if (e == null) {
            List<String> installed = names(spi);
            throw new IllegalArgumentException("unknown " + spi.noun + " '" + name + "'. Installed: "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)) + ".");
        }
        return type.cast(e.plugin());
    }

    private static Spi spiOf(Class<?> type) {
        for (Spi s : Spi.values()) {
            if (s.type == type) return s;
        }
        throw new IllegalArgumentException("not an SPI: " + type);
    }
}
