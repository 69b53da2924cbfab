package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime rollout engine against the DJL policy it serves, both found as plugins: for the
 * same weights (the qwen2-tiny fixture) greedy and seeded sampled generations are the same tokens,
 * and the ONNX engine's sampling log-probs equal the policy's scoring log-probs to 1e-4; after a
 * training step and a weight sync they still do.
 */
class RolloutEngineParityTest {

    private static final Path FIXTURE = Path.of("../fixtures/qwen2-tiny").toAbsolutePath();
    private static final List<int[]> PROMPTS = List.of(new int[] {5, 6, 7}, new int[] {10, 11, 12, 13, 14, 15, 16, 17},
            new int[] {20}, new int[] {30, 31, 32, 33}, new int[] {40, 41}, new int[] {50, 51, 52, 53, 54, 55});

    private static <T extends io.rlvr4j.api.Plugin> T plugin(Class<T> type, String name) {
        return ServiceLoader.load(type).stream().map(ServiceLoader.Provider::get).filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    private static void assertSame(Policy policy, List<Generation> djl, List<Generation> onnx, double temperature, String what) {
        for (int i = 0; i < djl.size(); i++) {
            assertThat(onnx.get(i).tokens()).as("%s: tokens of prompt %d", what, i).containsExactly(djl.get(i).tokens());
            assertThat(onnx.get(i).finishReason()).isEqualTo(djl.get(i).finishReason());
        }
        float[][] scored = policy.logProbs(onnx.stream().map(Generation::sequence).toList(), temperature);
        for (int i = 0; i < onnx.size(); i++) {
            for (int k = 0; k < scored[i].length; k++) {
                assertThat((double) onnx.get(i).logProbs()[k]).as("%s: log-prob %d of prompt %d", what, k, i)
                        .isCloseTo(scored[i][k], within(1e-4));
            }
        }
    }

    @Test
    void onnxRolloutsMatchTheDjlPolicyBeforeAndAfterATrainingStepAndAWeightSync() {
        assertThat(Files.isRegularFile(FIXTURE.resolve("config.json"))).as("fixture at " + FIXTURE).isTrue();
        Settings cpu = Settings.of(Map.of("device", "cpu", "threads", 2));
        try (Policy policy = plugin(PolicyBackend.class, "djl").open(
                new PolicySpec(FIXTURE, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(3e-2), 0), cpu);
             Sampler onnx = plugin(RolloutEngine.class, "onnx").open(FIXTURE, Settings.of(Map.of("threads", 2)))) {
            SamplingParams greedy = SamplingParams.greedy(12, Set.of());
            List<Generation> before = policy.generate(PROMPTS, greedy);
            assertSame(policy, before, onnx.generate(PROMPTS, greedy), 1.0, "greedy");

            // a stop token that ends some rows early (the batch is compacted), sampled with truncation
            int stop = before.get(1).tokens()[3];
            SamplingParams sampled = new SamplingParams(0.8, 0.9, 20, 12, Set.of(stop), 17);
            List<Generation> djlSampled = policy.generate(PROMPTS, sampled);
            assertThat(djlSampled).anyMatch(g -> g.finishReason() == Generation.FinishReason.STOP);
            assertSame(policy, djlSampled, onnx.generate(PROMPTS, sampled), 0.8, "sampled");

            // train the policy on its own greedy outputs, sync, and compare again
            List<TokenSequence> seqs = before.stream().map(Generation::sequence).toList();
            for (int s = 0; s < 3; s++) policy.train(SupervisedObjective.tokenMean(seqs));
            onnx.loadWeights(policy.exportWeights());
            List<Generation> after = policy.generate(PROMPTS, greedy);
            assertSame(policy, after, onnx.generate(PROMPTS, greedy), 1.0, "greedy after a step");
            assertSame(policy, policy.generate(PROMPTS, sampled), onnx.generate(PROMPTS, sampled), 0.8, "sampled after a step");
            assertThat(after.get(0).logProbs()).as("the step changed the model").isNotEqualTo(before.get(0).logProbs());
        }
    }
}
