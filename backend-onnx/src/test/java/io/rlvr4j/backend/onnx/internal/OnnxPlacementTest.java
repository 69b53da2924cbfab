package io.rlvr4j.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class OnnxPlacementTest {

    @Test
    void theDeviceSettingIsReadAndCudaWithoutTheGpuBuildIsRefused() {
        assertThat(OnnxPlacement.read(Settings.of(Map.of("device", "cpu", "threads", 3)))).isEqualTo(OnnxPlacement.cpu(3));
        assertThatThrownBy(() -> OnnxPlacement.read(Settings.of(Map.of("device", "gpu")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected cpu, cuda, cuda:N or auto");
        assertThatThrownBy(() -> OnnxPlacement.read(Settings.of(Map.of("threads", 0)))).hasMessageContaining("at least 1");
        if (OnnxPlacement.cudaProvider()) {
            assertThat(OnnxPlacement.read(Settings.of(Map.of("device", "cuda:1"))).cudaDevice()).isEqualTo(1);
            assertThat(OnnxPlacement.read(Settings.empty()).describe()).isEqualTo(OnnxPlacement.nvidiaGpu() ? "cuda:0" : "cpu");
        } else {
            assertThat(OnnxPlacement.read(Settings.empty()).describe()).as("auto without the CUDA provider").isEqualTo("cpu");
            assertThatThrownBy(() -> OnnxPlacement.read(Settings.of(Map.of("device", "cuda")))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("no CUDA execution provider").hasMessageContaining("-Pcuda");
        }
    }

    /** Where the build has the CUDA provider and the machine a GPU (scripts/device-check.sh): the CPU's greedy tokens on CUDA. */
    @Test
    @Tag("gpu")
    void cudaGivesTheCpusGreedyTokens() {
        Assumptions.assumeTrue(OnnxPlacement.cudaProvider(), "this ONNX Runtime build has no CUDA execution provider");
        Assumptions.assumeTrue(OnnxPlacement.nvidiaGpu(), "the NVIDIA driver lists no GPU");
        java.nio.file.Path model = Qwen2Reference.fixture("qwen2-vocab4096");
        try (OnnxSampler cpu = OnnxSampler.open(model, Settings.of(Map.of("device", "cpu", "threads", 2)));
             OnnxSampler gpu = OnnxSampler.open(model, Settings.of(Map.of("device", "cuda")))) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3, 4}, new int[] {100, 200, 300, 400, 500, 600});
            List<Generation> a = cpu.generate(prompts, SamplingParams.greedy(16, Set.of()));
            List<Generation> b = gpu.generate(prompts, SamplingParams.greedy(16, Set.of()));
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).tokens()).as("greedy tokens of prompt %d", i).containsExactly(a.get(i).tokens());
                for (int k = 0; k < a.get(i).logProbs().length; k++) {
                    assertThat(b.get(i).logProbs()[k]).isCloseTo(a.get(i).logProbs()[k], org.assertj.core.api.Assertions.within(1e-3f));
                }
            }
        }
    }
}
