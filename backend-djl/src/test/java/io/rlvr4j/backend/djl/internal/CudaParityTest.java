package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fixture on CUDA gives the CPU's log-probs, greedy tokens and training step. Runs where PyTorch
 * sees a GPU (a build with the {@code cuda} profile on an NVIDIA machine: scripts/device-check.sh);
 * skipped elsewhere.
 */
@Tag("gpu")
class CudaParityTest {

    private static DjlPolicy open(String device) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(1e-3), 0),
                Settings.of(Map.of("device", device, "threads", 2, "micro_batch_size", 4)));
    }

    @Test
    void cudaGivesTheCpusLogProbsGreedyTokensAndStep() {
        System.setProperty("ai.djl.offline", "true");
        Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() > 0, "PyTorch sees no GPU");
        List<TokenSequence> seqs = TrainingTest.sequences(21);
        try (DjlPolicy cpu = open("cpu"); DjlPolicy gpu = open("cuda")) {
            assertThat(gpu.describe()).contains("cuda:0");
            float[][] a = cpu.logProbs(seqs);
            float[][] b = gpu.logProbs(seqs);
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < a[i].length; k++) assertThat(b[i][k]).as("seq %d token %d", i, k).isCloseTo(a[i][k], within(1e-4f));
            }
            List<int[]> prompts = List.of(cpu.tokenizer().encode("hello world"), cpu.tokenizer().encode("the quick brown fox"));
            List<Generation> x = cpu.generate(prompts, SamplingParams.greedy(16, Set.of()));
            List<Generation> y = gpu.generate(prompts, SamplingParams.greedy(16, Set.of()));
            for (int i = 0; i < x.size(); i++) assertThat(y.get(i).tokens()).as("greedy tokens of prompt %d", i).containsExactly(x.get(i).tokens());
            SupervisedObjective o = SupervisedObjective.tokenMean(seqs);
            double lossCpu = cpu.train(o).get("loss");
            double lossGpu = gpu.train(o).get("loss");
            assertThat(lossGpu).isCloseTo(lossCpu, within(1e-4));
            assertThat(gpu.train(o).get("loss")).isCloseTo(cpu.train(o).get("loss"), within(1e-4));
        }
    }
}
