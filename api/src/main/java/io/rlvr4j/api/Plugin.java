package io.rlvr4j.api;

/**
 * What every SPI of rlvr4j starts with, in the manner of {@code java.util.spi.ToolProvider}: a name
 * that configuration selects it by and a one-line description for {@code rlvr4j plugins}.
 *
 * @implSpec A provider's public no-argument constructor must be cheap: it runs whenever the app lists
 *     or looks up plugins. Load native libraries, models or sandboxes in the factory method of the
 *     SPI ({@code open}/{@code create}), never in the constructor.
 */
public interface Plugin {

    /** {@return the name that selects this plugin in a run configuration, lower case, e.g. {@code rloo}} */
    String name();

    /** {@return one line saying what this plugin does} */
    default String description() {
        return "";
    }
}
