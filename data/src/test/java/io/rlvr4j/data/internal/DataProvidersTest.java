package io.rlvr4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.DataSource;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class DataProvidersTest {

    @Test
    void theModuleProvidesEveryDataSource() {
        ModuleDescriptor module = JsonlDataSource.class.getModule().getDescriptor();
        assertThat(module).as("tests run on the module path").isNotNull();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(DataSource.class.getName());
            assertThat(p.providers()).containsExactlyInAnyOrder(JsonlDataSource.class.getName(), ArithmeticDataSource.class.getName(),
                    ProgrammingTaskDataSource.class.getName());
        });
        // providers stay internal: the only export is the row mapping, qualified to the Parquet source
        assertThat(module.exports()).allSatisfy(e -> assertThat(e.targets()).containsExactly("io.rlvr4j.data.parquet"));
    }

    @Test
    void providersAreNamedAndDescribed() {
        assertThat(new JsonlDataSource().name()).isEqualTo("jsonl");
        assertThat(new ArithmeticDataSource().name()).isEqualTo("arithmetic");
        assertThat(new JsonlDataSource().description()).isNotBlank();
        assertThat(new ArithmeticDataSource().description()).isNotBlank();
        assertThat(new ProgrammingTaskDataSource().name()).isEqualTo("code_tasks");
        assertThat(new ProgrammingTaskDataSource().description()).isNotBlank();
    }
}
