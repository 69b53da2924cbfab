package io.rlvr4j.algorithms.prime.internal;

import io.rlvr4j.api.contract.PluginModuleContract;

/** The module rules every plugin keeps (api test-jar). */
class PluginModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return PrimeAlgorithm.class;
    }

    @Override
    protected java.util.Set<String> allowedRlvr4jModules() {
        return java.util.Set.of("io.rlvr4j.api", "io.rlvr4j.algorithms.kit"); // the algorithms' library in this distribution
    }
}
