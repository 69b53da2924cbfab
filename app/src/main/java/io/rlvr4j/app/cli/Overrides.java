package io.rlvr4j.app.cli;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import java.util.List;

/** Applies {@code --set key=value} options to a configuration. */
final class Overrides {

    private Overrides() {}

    static ConfigTree apply(ConfigTree tree, List<String> overrides) {
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new ConfigException("", "--set " + o + ": expected KEY=VALUE, e.g. --set stages.rl.steps=20");
            String key = o.substring(0, eq).trim();
            tree = tree.with(key, ConfigLoader.parseScalar(o.substring(eq + 1)), "--set " + key);
        }
        return tree;
    }
}
