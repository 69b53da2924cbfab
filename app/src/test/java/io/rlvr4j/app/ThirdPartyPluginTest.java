package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.app.plugins.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example third-party plugin ({@code examples/countdown-plugin}, built against the api only),
 * built here, dropped into a plugin directory, and used by a short training run: its data source
 * feeds SFT and RL, its reward function judges the rollouts and the evaluations.
 */
@Tag("slow")
class ThirdPartyPluginTest {

    @TempDir
    Path tmp;

    @Test
    void aDroppedInPluginServesAShortTrainingRun() throws Exception {
        Path plugins = tmp.resolve("plugins");
        PluginJars.build(Path.of("../examples/countdown-plugin/src/main/java"), plugins.resolve("countdown-plugin.jar"), List.of());

        String listed = TestRuns.run("plugins", "--plugins-dir", plugins.toString());
        assertThat(listed).containsPattern("DataSource +countdown +com\\.example\\.countdown \\(countdown-plugin\\.jar\\)")
                .containsPattern("RewardFunction +countdown +com\\.example\\.countdown \\(countdown-plugin\\.jar\\)");

        Path config = tmp.resolve("countdown.yaml");
        Files.writeString(config, """
                run: {name: countdown, output_dir: %s, seed: 1}
                model: {init: fresh, tokenizer: ascii-chars, architecture: %s}
                policy: djl
                rewards: [{name: countdown, format_reward: 0.1}]
                data:
                  train: {source: countdown, seed: 1, count: 3, max_number: 9}
                  test: {source: countdown, seed: 2, count: 3, max_number: 9}
                stages:
                  - {type: sft, data: train, steps: 150, batch_size: 32, optimizer: {lr: 3.0e-3, warmup_steps: 10, weight_decay: 0.0}}
                  - {type: eval, name: before_rl, data: test, problems: 30, n: 0, k: []}
                  - type: rl
                    data: train
                    steps: 6
                    prompts_per_step: 8
                    n: 4
                    sampling: {temperature: 1.0, max_new_tokens: 24}
                    algorithm: {name: rloo}
                  - {type: eval, name: after_rl, data: test, problems: 30, n: 0, k: []}
                """.formatted(tmp.resolve("runs"), TestRuns.MODEL));
        TestRuns.run("run", config.toString(), "--plugins-dir", plugins.toString());

        Path runDir = TestRuns.runDir(tmp.resolve("runs"), "countdown");
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("rl_steps").asInt()).isEqualTo(6);
        assertThat(TestRuns.metric(runDir, "reward/mean")).hasSize(6).allSatisfy(r -> assertThat(r).isBetween(0.0, 1.0));
        // the evaluation's verdicts are the plugin's: after 150 SFT steps the model boxes an equation,
        // so most answers are judged (a reason or correct), not "no answer"
        List<String> verdicts = Files.readAllLines(runDir.resolve("evaluations/after_rl.greedy.jsonl"));
        assertThat(verdicts).hasSize(30);
        ObjectMapper json = new ObjectMapper();
        long judged = verdicts.stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(v -> v.get("details").has("equation")).count();
        assertThat(judged).as("answers with a boxed equation the plugin judged").isGreaterThan(15);
    }
}
