package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The algorithm examples ({@code examples/<name>.yaml}): each file runs end to end (shrunk to seconds
 * by {@code --set}), and its RL stage's {@code algorithm} section, applied to one small SFT model shared
 * by all of them, raises the training reward over a short run on the built-in arithmetic task.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlgorithmExamplesTest {

    @TempDir
    static Path tmp;

    private Path sftModel;

    /** The shared start: {@link TestRuns#supervisedStart}. */
    @BeforeAll
    void supervisedStart() throws Exception {
        sftModel = TestRuns.supervisedStart(tmp);
    }

    /**
     * The example's algorithm (and its stage's {@code refill_rounds}) on the shared start: 80 steps of 32
     * prompts x 8 samples. The fraction of correct samples of the last 20 steps must beat that of the first
     * 10 by {@link TestRuns#LEARNED}. Measured on an earlier CI machine: RLOO 0.33 to 0.50, GRPO 0.35 to
     * 0.50, PPO 0.36 to 0.48; on today's 2-core machine, the same before and after issue 16's verifier
     * changes: RLOO 0.335 to 0.415, GRPO 0.348 to 0.427, PPO 0.336 to 0.437, PRIME 0.334 to 0.471.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rloo", "grpo", "ppo", "prime"})
    void theExamplesAlgorithmRaisesTheReward(String example) throws Exception {
        JsonNode file = new YAMLMapper().readTree(Path.of("../examples", example + ".yaml").toFile());
        JsonNode rl = null;
        for (JsonNode stage : file.get("stages")) {
            if (stage.get("type").asText().equals("rl")) rl = stage;
        }
        assertThat(rl).as("examples/%s.yaml has an rl stage", example).isNotNull();
        Path runDir = TestRuns.rl(tmp, example, sftModel, new ObjectMapper().writeValueAsString(file.get("rewards")),
                new ObjectMapper().writeValueAsString(rl.get("algorithm")), rl.path("refill_rounds").asInt(0), "policy");
        List<Double> reward = TestRuns.metric(runDir, "score/mean");
        double first = TestRuns.mean(reward, 0, 10);
        double last = TestRuns.mean(reward, reward.size() - 20, reward.size());
        System.err.printf(java.util.Locale.ROOT, "AlgorithmExamplesTest: %s: fraction correct, first 10 steps %.3f, last 20 steps %.3f%n",
                example, first, last);
        assertThat(last).as("%s: the fraction of correct samples, first 10 steps %.3f, last 20 steps %.3f", example, first, last)
                .isGreaterThan(first + TestRuns.LEARNED);
    }

    /** The whole example file runs: every key is valid and every stage completes, shrunk to seconds. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rloo", "grpo", "ppo", "prime"})
    void theExampleFileRuns(String example) throws Exception {
        TestRuns.run("run", "../examples/" + example + ".yaml", "--set", "run.output_dir=" + tmp.resolve("whole"),
                "--set", "model.architecture=" + TestRuns.MODEL.replace("64, tie", "96, tie"), "--set", "policy.device=cpu",
                "--set", "stages.sft.steps=4", "--set", "stages.rl.steps=2", "--set", "stages.rl.prompts_per_step=2",
                "--set", "stages.before_rl.problems=2", "--set", "stages.after_rl.problems=2");
        JsonNode summary = new ObjectMapper().readTree(TestRuns.runDir(tmp.resolve("whole"), example + "-arithmetic").resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("rl_steps").asInt()).isEqualTo(2);
    }
}
