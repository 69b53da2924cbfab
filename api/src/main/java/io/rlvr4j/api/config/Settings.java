package io.rlvr4j.api.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A plugin's slice of the run configuration: typed reads with defaults, and errors that name the
 * file, line, key, value and rule.
 *
 * <p>Every read records its key; after a plugin is created the app calls {@link #rejectUnknown()},
 * so that a misspelt key stops the run before any work instead of being silently ignored.
 *
 * <p>Not thread-safe; read settings once, when the plugin is created.
 */
public final class Settings {

    private final String prefix;
    private final Map<String, Object> values;
    private final Path baseDir;
    private final Function<String, String> locator;
    private final Set<String> read = new TreeSet<>();
    private final Map<String, Settings> sections = new LinkedHashMap<>();
    private final Map<String, List<Settings>> lists = new LinkedHashMap<>();

    /**
     * @param prefix the dotted key of this slice in the whole configuration ({@code ""} for the root)
     * @param values the slice's values as a YAML or JSON parser gives them (String, Number, Boolean,
     *     List, Map)
     * @param baseDir what relative paths are resolved against (the configuration file's directory)
     * @param locator full dotted key to a location such as {@code run.yaml:12}, or {@code null} if unknown
     */
    public Settings(String prefix, Map<String, ?> values, Path baseDir, Function<String, String> locator) {
        this.prefix = prefix;
        this.values = new LinkedHashMap<>(values);
        this.baseDir = baseDir;
        this.locator = locator;
    }

    /** {@return settings from a plain map, relative paths against the working directory} (for tests and code) */
    public static Settings of(Map<String, ?> values) {
        return new Settings("", values, Path.of(""), key -> null);
    }

    /** {@return empty settings: every read gives its default} */
    public static Settings empty() {
        return of(Map.of());
    }

    /** {@return the dotted key of this slice} */
    public String prefix() {
        return prefix;
    }

    /** {@return whether {@code key} is set} */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** {@return the keys set in this slice} */
    public Set<String> keys() {
        return values.keySet();
    }

    public String string(String key, String defaultValue) {
        Object v = raw(key);
        if (v == null) return defaultValue;
        if (v instanceof String || v instanceof Number || v instanceof Boolean) return v.toString();
        throw invalid(key, "expected a text value");
    }

    public String requireString(String key) {
        String v = string(key, null);
        if (v == null) throw missing(key, "a text value");
        return v;
    }

    public int integer(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw invalid(key, "expected an integer in the int range");
        return (int) v;
    }

    public long longValue(String key, long defaultValue) {
        Object v = raw(key);
        if (v == null) return defaultValue;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9e15) {
            return n.longValue();
        }
        throw invalid(key, "expected an integer");
    }

    public double number(String key, double defaultValue) {
        Object v = raw(key);
        if (v == null) return defaultValue;
        if (v instanceof Number n) return n.doubleValue();
        throw invalid(key, "expected a number");
    }

    /** {@return the number at {@code key}}, or the default; infinities and NaN (YAML's {@code .inf}, {@code .nan}) are errors */
    public double finiteNumber(String key, double defaultValue) {
        double v = number(key, defaultValue);
        if (!Double.isFinite(v)) throw invalid(key, "must be a finite number");
        return v;
    }

    public boolean flag(String key, boolean defaultValue) {
        Object v = raw(key);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        throw invalid(key, "expected true or false");
    }

    /** {@return the path at {@code key}, resolved against the configuration file's directory} */
    public Path path(String key, Path defaultValue) {
        String v = string(key, null);
        return v == null ? defaultValue : baseDir.resolve(v).normalize();
    }

    public Path requirePath(String key) {
        Path p = path(key, null);
        if (p == null) throw missing(key, "a file path");
        return p;
    }

    /** {@return a list of text values; a single value counts as a list of one} */
    public List<String> strings(String key, List<String> defaultValue) {
        Object v = raw(key);
        if (v == null) return defaultValue;
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (o instanceof Map || o instanceof List) throw invalid(key, "expected a list of text values");
                out.add(String.valueOf(o));
            }
            return List.copyOf(out);
        }
        return List.of(string(key, null));
    }

    /**
     * {@return the enum constant named by {@code key}}. Configuration spells constants in lower case
     * with {@code -} or {@code _} ({@code token-mean} for {@code TOKEN_MEAN}); an unknown value is an
     * error that lists the valid ones.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String v = string(key, null);
        if (v == null) return defaultValue;
        String wanted = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) return e;
        }
        String valid = java.util.Arrays.stream(type.getEnumConstants()).map(Settings::configName).collect(Collectors.joining(", "));
        throw invalid(key, "expected one of: " + valid);
    }

    /** {@return the configuration spelling of an enum constant: {@code TOKEN_MEAN} is {@code token-mean}} */
    public static String configName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@return the nested slice at {@code key}, empty if unset} */
    public Settings section(String key) {
        return sections.computeIfAbsent(key, k -> {
            Object v = raw(k);
            if (v != null && !(v instanceof Map)) throw invalid(k, "expected a section of keys");
            @SuppressWarnings("unchecked")
            Map<String, ?> m = v == null ? Map.of() : (Map<String, ?>) v;
            return new Settings(fullKey(k), m, baseDir, locator);
        });
    }

    /**
     * {@return the section at {@code key} as plain values} (text, numbers, booleans, lists and maps, as
     * the file gives them), for settings that are passed on whole, such as template variables; empty if unset
     */
    public Map<String, Object> mapping(String key) {
        Object v = raw(key);
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?> m)) throw invalid(key, "expected a section of keys");
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * {@return the list of sections at {@code key}} ({@code rewards: [{name: math}, …]}), each item
     * with the prefix {@code key[i]}; empty if unset
     */
    public List<Settings> sectionList(String key) {
        List<Settings> known = lists.get(key);
        if (known != null) return known;
        Object v = raw(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw invalid(key, "expected a list of sections (each item a set of keys)");
        List<Settings> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String itemKey = key + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new ConfigException(fullKey(itemKey), where(fullKey(itemKey)) + fullKey(itemKey) + " — expected a section of keys");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> item = (Map<String, ?>) m;
            Settings child = new Settings(fullKey(itemKey), item, baseDir, locator);
            sections.put(itemKey, child);
            out.add(child);
        }
        lists.put(key, List.copyOf(out));
        return lists.get(key);
    }

    /**
     * {@return an error about {@code key}}: {@code run.yaml:12: algorithm.clip_high = "x" — expected a number}.
     *
     * @param rule what the value must be, and if useful how to fix it
     */
    public ConfigException invalid(String key, String rule) {
        String full = fullKey(key);
        Object v = values.get(key);
        String shown = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
        return new ConfigException(full, where(full) + full + " = " + shown + " — " + rule);
    }

    /** {@return an error saying that the required {@code key} is missing} */
    public ConfigException missing(String key, String what) {
        String full = fullKey(key);
        return new ConfigException(full, where(prefix) + "missing " + full + ": expected " + what);
    }

    /**
     * Stops on keys that no read asked for (misspellings, keys of another plugin).
     *
     * @throws ConfigException naming the first unknown key and the valid keys of its slice
     */
    public void rejectUnknown() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                String full = fullKey(key);
                String valid = read.isEmpty() ? "none (this plugin takes no settings)" : String.join(", ", read);
                throw new ConfigException(full, where(full) + "unknown key " + full + ". Valid keys here: " + valid + ".");
            }
        }
        for (Settings s : sections.values()) s.rejectUnknown();
    }

    private Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    private String fullKey(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private String where(String fullKey) {
        String at = locator.apply(fullKey);
        return at == null ? "" : at + ": ";
    }
}
