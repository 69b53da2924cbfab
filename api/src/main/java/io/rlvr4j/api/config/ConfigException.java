package io.rlvr4j.api.config;

/**
 * An invalid run configuration. The message is meant for the user as it is: it names where the
 * key is ({@code run.yaml:12}), the key, the value and the rule it breaks.
 */
public class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** {@return the full dotted key the problem is about, e.g. {@code algorithm.clip_high}; empty for the whole file} */
    public String key() {
        return key;
    }
}
