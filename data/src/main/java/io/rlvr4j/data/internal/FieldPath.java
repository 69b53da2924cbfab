package io.rlvr4j.data.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A field of a row, possibly nested: {@code answer}, {@code reward_model.ground_truth},
 * {@code prompt.0.content} (a number indexes a list). Rows are plain Java values: maps, lists,
 * strings, numbers, booleans.
 *
 * @param text the path as written in the settings
 * @param parts its dot-separated parts
 */
record FieldPath(String text, List<String> parts) {

    /** {@return the path of {@code text}} @throws IllegalArgumentException for a blank part ({@code a..b}) */
    static FieldPath of(String text) {
        List<String> parts = List.of(text.strip().split("\\.", -1));
        if (parts.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("'" + text + "' is not a field path: write names joined by dots, e.g. reward_model.ground_truth");
        }
        return new FieldPath(text.strip(), parts);
    }

    /** {@return the value at this path, empty where the path does not exist or the value is null} */
    Optional<Object> find(Map<String, Object> row) {
        try {
            return Optional.ofNullable(walk(row));
        } catch (Missing e) {
            return Optional.empty();
        }
    }

    /**
     * {@return the value at this path (null only for a null value)}
     *
     * @throws Missing naming the part that does not exist and what exists there instead
     */
    Object require(Map<String, Object> row) throws Missing {
        return walk(row);
    }

    private Object walk(Map<String, Object> row) throws Missing {
        Object at = row;
        StringBuilder seen = new StringBuilder();
        for (String part : parts) {
            String where = seen.isEmpty() ? "the row" : seen.toString();
            if (at instanceof Map<?, ?> m) {
                if (!m.containsKey(part)) throw new Missing(where + " has no field '" + part + "' (it has: " + String.join(", ", keys(m)) + ")");
                at = m.get(part);
            } else if (at instanceof List<?> l && part.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(part);
                if (i >= l.size()) throw new Missing(where + " has " + l.size() + " items, so no item " + i);
                at = l.get(i);
            } else {
                throw new Missing(where + " is " + describe(at) + ", so it has no field '" + part + "'");
            }
            if (!seen.isEmpty()) seen.append('.');
            seen.append(part);
        }
        return at;
    }

    private static List<String> keys(Map<?, ?> m) {
        return m.keySet().stream().map(String::valueOf).toList();
    }

    /** {@return what kind of value {@code v} is, for error messages} */
    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "a list";
            case Map<?, ?> m -> "an object";
            default -> v.getClass().getSimpleName();
        };
    }

    /** The path does not exist in a row. */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message, null, false, false);
        }
    }
}
