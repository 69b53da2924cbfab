package io.rlvr4j.app.config;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed run configuration: its values as plain maps and lists, and where each key was written
 * ({@code run.yaml:12}, or {@code --set stages.rl.steps} for an override), so that every error can
 * point at the line to fix.
 *
 * <p>A few sections may be written as the name of their plugin ({@link #SHORTHANDS}).
 *
 * @param values the root mapping
 * @param locations full dotted key (list items as {@code stages[2]}) to where it was written
 * @param baseDir what relative paths in the file are resolved against
 * @param source a name for the whole configuration, e.g. the file name
 */
public record ConfigTree(Map<String, Object> values, Map<String, String> locations, Path baseDir, String source) {

    /**
     * Sections that may be written as their plugin's name alone: {@code rollout: onnx} means
     * {@code rollout: {engine: onnx}}, {@code policy: djl} means {@code policy: {backend: djl}}.
     */
    static final Map<String, String> SHORTHANDS = Map.of("rollout", "engine", "policy", "backend");

    /** Rewrites the shorthand sections of {@code root} ({@link #SHORTHANDS}) as sections, in place, with their locations. */
    static void expandShorthands(Map<String, Object> root, Map<String, String> locations) {
        SHORTHANDS.forEach((section, key) -> {
            if (root.get(section) instanceof String name) {
                Map<String, Object> expanded = new LinkedHashMap<>();
                expanded.put(key, name);
                root.put(section, expanded);
                String at = locations.get(section);
                if (at != null) locations.put(section + "." + key, at);
            }
        });
    }

    /** {@return root settings over this tree} */
    public Settings settings() {
        return new Settings("", values, baseDir, this::locate);
    }

    /**
     * {@return where {@code key} was written}: the key itself, else its nearest written ancestor,
     * else the file.
     */
    public String locate(String key) {
        for (String k = key; !k.isEmpty(); k = parent(k)) {
            String at = locations.get(k);
            if (at != null) return at;
        }
        return source;
    }

    private static String parent(String key) {
        int dot = key.lastIndexOf('.');
        int bracket = key.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : key.substring(0, cut);
    }

    /**
     * {@return this tree with {@code key} set to {@code value}}. {@code key} is dotted; a list item is
     * addressed by index ({@code stages[2].steps}) or, for lists of mappings with a {@code name}, by
     * that name ({@code stages.rl.steps}) or, as a number, by index ({@code stages.2.steps}).
     */
    @SuppressWarnings("unchecked")
    public ConfigTree with(String key, Object value, String location) {
        if (SHORTHANDS.containsKey(key) && value instanceof String) return with(key + "." + SHORTHANDS.get(key), value, location);
        Map<String, Object> root = (Map<String, Object>) deepCopy(values);
        Object node = root;
        StringBuilder canonical = new StringBuilder();
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            String name = part;
            Integer index = null;
            int b = part.indexOf('[');
            if (b >= 0 && part.endsWith("]")) {
                name = part.substring(0, b);
                try {
                    index = Integer.parseInt(part.substring(b + 1, part.length() - 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, location + ": bad list index in " + key);
                }
            }
            if (!(node instanceof Map<?, ?>)) {
                throw new ConfigException(key, location + ": " + canonical + " is not a section, so " + key + " cannot be set");
            }
            Map<String, Object> map = (Map<String, Object>) node;
            if (!canonical.isEmpty()) canonical.append('.');
            canonical.append(name);
            if (index == null && map.get(name) instanceof java.util.List<?> list && !last) {
                // stages.rl.steps: the next part names a list item
                // (or, as a number, its index: stages.2.steps)
                String itemName = parts[++i];
                int found = -1;
                java.util.List<String> names = new java.util.ArrayList<>();
                for (int j = 0; j < list.size(); j++) {
                    if (list.get(j) instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                        names.add(n);
                        if (itemName.equals(n)) found = j;
                    }
                }
                if (found < 0 && itemName.matches("\\d{1,9}") && Integer.parseInt(itemName) < list.size()) {
                    found = Integer.parseInt(itemName);
                }
                if (found < 0) {
                    throw new ConfigException(key, location + ": no item of " + canonical + " is named '" + itemName
                            + "'; the items are " + (names.isEmpty() ? "unnamed" : String.join(", ", names))
                            + " (or use an index from 0 to " + (list.size() - 1) + ")");
                }
                canonical.append('[').append(found).append(']');
                node = list.get(found);
                if (i == parts.length - 1) {
                    throw new ConfigException(key, location + ": " + key + " names a whole list item; set one of its keys");
                }
                continue;
            }
            if (index != null) {
                if (!(map.get(name) instanceof java.util.List<?> list) || index < 0 || index >= list.size()) {
                    throw new ConfigException(key, location + ": " + canonical + " has no item " + index);
                }
                canonical.append('[').append(index).append(']');
                if (last) {
                    ((java.util.List<Object>) list).set(index, value);
                } else {
                    node = list.get(index);
                }
                continue;
            }
            if (last) {
                map.put(name, value);
            } else {
                node = map.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
            }
        }
        Map<String, String> locs = new LinkedHashMap<>(locations);
        locs.put(canonical.toString(), location);
        return new ConfigTree(root, locs, baseDir, source);
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (o instanceof java.util.List<?> l) {
            java.util.List<Object> copy = new java.util.ArrayList<>();
            for (Object v : l) copy.add(deepCopy(v));
            return copy;
        }
        return o;
    }
}
