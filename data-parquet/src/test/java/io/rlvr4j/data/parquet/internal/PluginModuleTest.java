package io.rlvr4j.data.parquet.internal;

import io.rlvr4j.api.contract.PluginModuleContract;
import java.util.Set;

/** The module rules every plugin keeps (api test-jar); this one shares the data module's row mapping. */
class PluginModuleTest extends PluginModuleContract {

    @Override
    protected Class<?> pluginClass() {
        return ParquetDataSource.class;
    }

    @Override
    protected Set<String> allowedRlvr4jModules() {
        return Set.of("io.rlvr4j.api", "io.rlvr4j.data");
    }
}
