package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RL with rollouts by the ONNX Runtime engine (weights synced after every step) against rollouts by
 * the trained policy (DJL): the same samples at first, and the same learning result.
 */
@Tag("slow")
class OnnxRolloutRunTest {

    @TempDir
    Path tmp;

    /** The RL steps' mean rewards of a run, and its greedy responses before RL. */
    private record DefaultRun(List<Double> rewards, List<String> responsesBeforeRl) {
    }

    private DefaultRun defaultRun(String engine) throws Exception {
        Path out = tmp.resolve(engine);
        TestRuns.run("run", "--set", "run.output_dir=" + out,
                "--set", "rollout=" + engine, "--set", "stages.sft.steps=300", "--set", "stages.rl.steps=8",
                "--set", "stages.before_rl.problems=20", "--set", "stages.after_rl.problems=20",
                "--set", "stages.before_rl.n=0", "--set", "stages.after_rl.n=0",
                "--set", "stages.before_rl.k=[]", "--set", "stages.after_rl.k=[]");
        Path runDir;
        try (var s = Files.list(out)) {
            runDir = s.findFirst().orElseThrow();
        }
        List<Double> rewards = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode m = json.readTree(line);
            if (m.get("stage").asText().equals("rl")) {
                rewards.add(m.get("reward/mean").asDouble());
                if (engine.equals("onnx")) assertThat(m.get("timing_s/sync").asDouble()).as("the weights are synced each step").isPositive();
            }
        }
        List<String> responses = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("evaluations/before_rl.greedy.jsonl"))) {
            responses.add(json.readTree(line).get("response").asText());
        }
        return new DefaultRun(rewards, responses);
    }

    /**
     * The built-in default run, shrunk, draws the same samples on either engine, so its RL steps see
     * the same rewards, step for step, until a float-level difference between the engines first flips
     * a sampled token; the first steps must agree exactly. Its evaluations generate on the engine: the
     * greedy responses before RL (the same SFT model) are the same.
     */
    @Test
    void theDefaultRunDrawsTheSameRolloutsOnOnnxRuntimeAsOnThePolicy() throws Exception {
        DefaultRun policy = defaultRun("policy");
        DefaultRun onnx = defaultRun("onnx");
        assertThat(onnx.rewards()).hasSize(8);
        assertThat(onnx.rewards().subList(0, 5)).as("mean reward of the first RL steps").isEqualTo(policy.rewards().subList(0, 5));
        assertThat(onnx.responsesBeforeRl()).hasSize(20).isEqualTo(policy.responsesBeforeRl());
    }

    /**
     * RLOO from one SFT start, 80 steps of 32 prompts x 8 samples, once on each engine: both raise the
     * fraction of correct samples by {@link TestRuns#LEARNED}, as the algorithm tests do, and they end at the
     * same level (the last 20 steps' fraction correct within 0.05; the runs share their samples until
     * the engines' float-level differences first flip a token, then are two draws of the same process).
     */
    @Test
    void rlooLearnsTheSameOnOnnxRuntimeAsOnThePolicy() throws Exception {
        Path start = TestRuns.supervisedStart(tmp);
        double[] last = new double[2];
        String[] engines = {"policy", "onnx"};
        for (int e = 0; e < 2; e++) {
            List<Double> correct = TestRuns.metric(TestRuns.rl(tmp, "rloo-" + engines[e], start, "[{name: math}]", "{name: rloo}", 0,
                    engines[e]), "score/mean");
            double first = TestRuns.mean(correct, 0, 10);
            last[e] = TestRuns.mean(correct, correct.size() - 20, correct.size());
            System.err.printf(Locale.ROOT, "OnnxRolloutRunTest: rloo on %s: fraction correct, first 10 steps %.3f, last 20 steps %.3f%n",
                    engines[e], first, last[e]);
            assertThat(last[e]).as("%s: fraction correct, first 10 steps %.3f, last 20 steps %.3f", engines[e], first, last[e])
                    .isGreaterThan(first + TestRuns.LEARNED);
        }
        assertThat(last[1]).as("the last 20 steps' fraction correct, onnx vs policy").isCloseTo(last[0], within(0.05));
    }
}
