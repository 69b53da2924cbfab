package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in default run, shrunk, with rollouts by the trained policy (DJL) and by the ONNX Runtime
 * engine (synced after every step): the two runs draw the same samples, so their RL steps see the same
 * rewards, step for step, until a float-level difference between the engines first flips a sampled
 * token (at step 33 of 40 on the development machine); the first steps must agree exactly.
 */
@Tag("slow")
class OnnxRolloutRunTest {

    @TempDir
    Path tmp;

    private List<Double> rewards(String engine) throws Exception {
        Path out = tmp.resolve(engine);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            code = io.rlvr4j.app.cli.RootCommand.commandLine().execute("run", "--set", "run.output_dir=" + out,
                    "--set", "rollout.engine=" + engine, "--set", "stages.sft.steps=300", "--set", "stages.rl.steps=8",
                    "--set", "stages.before_rl.problems=20", "--set", "stages.after_rl.problems=20",
                    "--set", "stages.before_rl.n=0", "--set", "stages.after_rl.n=0",
                    "--set", "stages.before_rl.k=[]", "--set", "stages.after_rl.k=[]");
        } finally {
            System.setOut(previous);
        }
        assertThat(code).as(console.toString(StandardCharsets.UTF_8)).isZero();
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
        return rewards;
    }

    @Test
    void theDefaultRunDrawsTheSameRolloutsOnOnnxRuntimeAsOnThePolicy() throws Exception {
        List<Double> policy = rewards("policy");
        List<Double> onnx = rewards("onnx");
        assertThat(onnx).hasSize(8);
        assertThat(onnx.subList(0, 5)).as("mean reward of the first RL steps").isEqualTo(policy.subList(0, 5));
    }
}
