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
 * {@code examples/math-then-code.yaml}, shrunk by {@code --set} to seconds: SFT on the math and code
 * mixture, math RL, code RL, with every problem judged by the verifier of its domain (the code ones by
 * the real code verifier in GraalPy), all offline.
 */
@Tag("slow")
class MathThenCodeExampleTest {

    @TempDir
    Path tmp;

    static final List<String> EVALS = List.of("math_before", "code_before", "unseen_before", "math_between", "code_between",
            "math_after", "code_after", "unseen_after");

    @Test
    void theExampleRunsMathThenCodeRlOffline() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", Path.of("../examples/math-then-code.yaml").toString(),
                "--set", "run.output_dir=" + tmp.resolve("runs"),
                "--set", "model.architecture={hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1, num_attention_heads: 2,"
                        + " num_key_value_heads: 1, max_position_embeddings: 192, tie_word_embeddings: true}",
                "--set", "policy.device=cpu", "--set", "policy.micro_batch_size=8",
                "--set", "stages.sft.steps=6", "--set", "stages.sft.batch_size=8",
                "--set", "stages.rl_math.steps=2", "--set", "stages.rl_math.prompts_per_step=2", "--set", "stages.rl_math.n=4",
                "--set", "stages.rl_code.steps=2", "--set", "stages.rl_code.prompts_per_step=2", "--set", "stages.rl_code.n=4"));
        for (String e : EVALS) {
            args.addAll(List.of("--set", "stages." + e + ".problems=3", "--set", "stages." + e + ".n=2", "--set", "stages." + e + ".k=[1, 2]"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = io.rlvr4j.app.cli.RootCommand.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(console).isZero();

        Path runDir;
        try (var s = Files.list(tmp.resolve("runs"))) {
            runDir = s.filter(p -> p.getFileName().toString().startsWith("math-then-code-")).findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        for (String e : EVALS) assertThat(summary.get("evaluations").get(e).get("problems").asInt()).as(e).isEqualTo(3);

        List<String> stages = Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                .map(l -> { try { return json.readTree(l).get("stage").asText(); } catch (Exception x) { throw new AssertionError(x); } })
                .distinct().toList();
        assertThat(stages).containsExactly("sft", "rl_math", "rl_code");

        // the code problems were judged by the code verifier (its details), the math ones by the math verifier
        for (String line : Files.readAllLines(runDir.resolve("evaluations/code_after.greedy.jsonl"))) {
            JsonNode l = json.readTree(line);
            assertThat(l.get("domain").asText()).isEqualTo("code");
            assertThat(l.get("details").get("total_tests").asInt()).as(line).isEqualTo(3);
        }
        for (String line : Files.readAllLines(runDir.resolve("evaluations/math_after.greedy.jsonl"))) {
            JsonNode l = json.readTree(line);
            assertThat(l.get("domain").asText()).isEqualTo("math");
            assertThat(l.get("details").has("total_tests")).isFalse();
        }
    }
}
