package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.contract.PluginModuleContract;

/** The module rules every plugin keeps (api test-jar). */
class PluginModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return DjlPolicyBackend.class;
    }

    @Override
    protected java.util.Set<String> allowedRlvr4jModules() {
        return java.util.Set.of("io.rlvr4j.api", "io.rlvr4j.backend.hf"); // the backends' library in this distribution
    }
}
