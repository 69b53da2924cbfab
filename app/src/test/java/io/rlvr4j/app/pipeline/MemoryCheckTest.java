package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The run's memory check: the models a stage holds at once, added up, against the machine's memory. */
class MemoryCheckTest {

    /** A backend whose frozen models take {@code bytes}, and trained ones four times that. */
    private static PolicyBackend backend(long bytes) {
        return new PolicyBackend() {
            @Override public String name() { return "sized"; }
            @Override public Policy open(PolicySpec spec, Settings settings) { throw new UnsupportedOperationException(); }
            @Override public OptionalLong memoryEstimate(PolicySpec spec, Settings settings) {
                return OptionalLong.of(spec.optimizer() != null ? 4 * bytes : bytes);
            }
        };
    }

    private static Stage stage(String name, ModelRole... frozenBesidesTheActor) {
        return new Stage() {
            @Override public String name() { return name; }
            @Override public String type() { return "rl"; }
            @Override public Map<ModelRole, OptimizerSpec> models() {
                Map<ModelRole, OptimizerSpec> m = new EnumMap<>(ModelRole.class);
                m.put(ModelRole.ACTOR, OptimizerSpec.adamW(1e-4));
                for (ModelRole r : frozenBesidesTheActor) m.put(r, null);
                return m;
            }
            @Override public Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) { return Map.of(); }
        };
    }

    @Test
    void aRunWhoseLargestStagePassesTheMachinesMemoryIsRefusedNamingWhatWouldNotFit() {
        long machine = MemoryCheck.physicalMemory().orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
        List<Stage> stages = List.of(stage("sft"), stage("rl", ModelRole.REFERENCE));
        // a fifth of the machine a frozen model: the trained actor alone takes four fifths, its reference one more
        long bytes = machine / 5 + 1;
        assertThatThrownBy(() -> MemoryCheck.check(stages, Path.of("m"), backend(bytes), Settings.empty(), null, Settings.empty(), true, log))
                .isInstanceOf(ConfigException.class).hasMessageContaining("would not fit").hasMessageContaining("stage rl")
                .hasMessageContaining("actor (trained)").hasMessageContaining("reference").hasMessageContaining("run.check_memory: false");
        MemoryCheck.check(stages, Path.of("m"), backend(bytes), Settings.empty(), null, Settings.empty(), false, log);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("memory estimate").contains("stage rl");
        out.reset();
        MemoryCheck.check(stages, Path.of("m"), backend(machine / 100), Settings.empty(), null, Settings.empty(), true, log);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("rlvr4j: memory estimate");
    }
}
