package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline on a tiny fresh model, through the CLI: the plugins are discovered, the model is
 * created, warmed up with SFT, evaluated, trained with a few RLOO steps, evaluated again.
 */
@Tag("slow")
class EndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void aFewRlStepsOnATinyModelWriteACompleteRunDirectory() throws Exception {
        Path config = tmp.resolve("tiny.yaml");
        Files.writeString(config, """
                run: {name: tiny, output_dir: runs, seed: 1}
                model:
                  init: fresh
                  architecture: {hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1,
                                 num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 96}
                policy: {backend: djl, device: cpu, micro_batch_size: 8}
                rewards: [{name: math}]
                data:
                  train: {source: arithmetic, split: train, seed: 1}
                  heldout: {source: arithmetic, split: eval, seed: 2}
                stages:
                  - {type: sft, data: train, steps: 5, batch_size: 8, optimizer: {lr: 1.0e-3}}
                  - {type: eval, name: before_rl, data: heldout, problems: 4, n: 2, k: [1, 2], max_new_tokens: 24}
                  - type: rl
                    data: train
                    steps: 3
                    prompts_per_step: 2
                    n: 4
                    sampling: {max_new_tokens: 24}
                    checkpoint_every: 2
                    algorithm: {name: rloo}
                  - {type: eval, name: after_rl, data: heldout, problems: 4, n: 2, k: [1, 2], max_new_tokens: 24}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = io.rlvr4j.app.cli.RootCommand.commandLine().execute("run", config.toString());
        } finally {
            System.setOut(previous);
        }
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(console).isZero();

        Path runs = tmp.resolve("runs");
        Path runDir;
        try (var s = Files.list(runs)) {
            runDir = s.filter(p -> p.getFileName().toString().startsWith("tiny-")).findFirst().orElseThrow();
        }
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("rl_steps").asInt()).isEqualTo(3);
        for (String eval : List.of("before_rl", "after_rl")) {
            JsonNode e = summary.get("evaluations").get(eval);
            assertThat(e.get("problems").asInt()).isEqualTo(4);
            assertThat(e.get("greedy_pass@1").asDouble()).isBetween(0.0, 1.0);
            assertThat(e.get("sampled").get("pass@2").asDouble()).isBetween(0.0, 1.0);
        }
        List<String> metrics = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(5 + 3);
        JsonNode rl = new ObjectMapper().readTree(metrics.getLast());
        assertThat(rl.get("stage").asText()).isEqualTo("rl");
        assertThat(rl.get("actor/grad_norm").asDouble()).isNotNegative();
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "state.json")) {
            assertThat(runDir.resolve("models/rl").resolve(f)).exists();
            assertThat(runDir.resolve("checkpoints/rl-step-000002").resolve(f)).exists();
        }
        assertThat(console).contains("greedy pass@1").contains(runDir.toString());
    }
}
