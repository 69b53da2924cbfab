package com.example.countdown;

import io.rlvr4j.api.contract.PluginModuleContract;

/** The module rules every plugin keeps (api test-jar). */
class CountdownModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return CountdownReward.class;
    }
}
