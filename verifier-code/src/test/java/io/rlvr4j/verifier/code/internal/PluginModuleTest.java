package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.api.contract.PluginModuleContract;

/** The module rules every plugin keeps (api test-jar). */
class PluginModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return CodeRewardFunction.class;
    }
}
