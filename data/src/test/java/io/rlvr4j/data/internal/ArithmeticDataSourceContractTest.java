package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.DataSourceContract;
import java.util.Map;

class ArithmeticDataSourceContractTest extends DataSourceContract {

    @Override
    protected DataSource source() {
        return new ArithmeticDataSource();
    }

    @Override
    protected Settings settings() {
        return Settings.of(Map.of("seed", 5, "min_ops", 1, "max_ops", 4, "max_operand", 20, "operators", "+-*", "split", "eval"));
    }

    @Override
    protected int sampleSize() {
        return 200;
    }
}
