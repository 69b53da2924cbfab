package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void theModulePublishesBothProvidersNamedDjl() {
        var descriptor = DjlPolicyBackend.class.getModule().getDescriptor();
        assertThat(descriptor).as("tests run on the module path").isNotNull();
        Map<String, List<String>> provides = new java.util.HashMap<>();
        descriptor.provides().forEach(p -> provides.put(p.service(), p.providers()));
        assertThat(provides).containsEntry(PolicyBackend.class.getName(), List.of(DjlPolicyBackend.class.getName()))
                .containsEntry(RolloutEngine.class.getName(), List.of(DjlRolloutEngine.class.getName()));
        assertThat(descriptor.exports()).isEmpty();
        assertThat(new DjlPolicyBackend().name()).isEqualTo("djl");
        assertThat(new DjlRolloutEngine().name()).isEqualTo("djl");
        assertThat(new DjlPolicyBackend().description()).isNotBlank();
    }

    @Test
    void settingsAreReadAndValidated() {
        Settings s = Settings.of(Map.of("device", "cpu", "threads", 1, "micro_batch_size", 4, "generation_batch_size", 8));
        try (var p = new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0), s)) {
            s.rejectUnknown();
            assertThat(p.describe()).endsWith("cpu");
        }
        assertThatThrownBy(() -> DjlSettings.read(Settings.of(Map.of("device", "tpu"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("device").hasMessageContaining("cpu, cuda");
        assertThatThrownBy(() -> DjlSettings.read(Settings.of(Map.of("micro_batch_size", 0))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("micro_batch_size");
        assertThatThrownBy(() -> DjlSettings.read(Settings.of(Map.of("threads", 0)))).isInstanceOf(ConfigException.class);
        assertThat(DjlSettings.read(Settings.empty()).deviceName()).isEqualTo("auto");
    }

    @Test
    void cudaWithoutAGpuIsAConfigurationError() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU: the error case cannot happen");
        assertThatThrownBy(() -> new DjlRolloutEngine().open(Fixture.DIR, Settings.of(Map.of("device", "cuda"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("device").hasMessageContaining("no GPU")
                .hasMessageContaining(DjlSettings.nativeFlavor().equals("cpu") ? "RLVR4J_BUILD_ARGS=-Pcuda" : "build: this machine has no GPU");
        assertThat(DjlSettings.nativeFlavor()).as("the natives' own properties name their flavor").isIn("cpu", "cu124");
    }

    @Test
    void runsOnCudaWhenAGpuIsPresent() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() > 0, "needs a CUDA device and a CUDA build of PyTorch on the class path");
        try (Sampler s = new DjlRolloutEngine().open(Fixture.DIR, Settings.of(Map.of("device", "cuda")))) {
            assertThat(s.generate(List.of(new int[] {9, 6, 13}), SamplingParams.greedy(16, Set.of())).get(0).tokens())
                    .containsExactly(6, 51, 41, 38, 6, 38, 6, 6, 6, 6, 6, 38, 6, 6, 6, 6);
        }
    }
}
