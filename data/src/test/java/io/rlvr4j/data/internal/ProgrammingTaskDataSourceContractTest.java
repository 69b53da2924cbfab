package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.DataSourceContract;
import java.util.Map;

class ProgrammingTaskDataSourceContractTest extends DataSourceContract {

    @Override
    protected DataSource source() {
        return new ProgrammingTaskDataSource();
    }

    @Override
    protected Settings settings() {
        return Settings.of(Map.of("seed", 5, "tests", 4, "buggy_fraction", 0.3));
    }

    @Override
    protected int sampleSize() {
        return 200;
    }
}
