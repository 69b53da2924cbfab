package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rlvr4j eval}: benchmarks, protocols and what a command line overrides, and the files of --output. */
class EvalCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static EvalCommand.Plan plan(String... args) {
        EvalCommand cmd = new EvalCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.plan();
    }

    private static Settings stage(EvalCommand.Plan p, int i) {
        return p.tree().settings().sectionList("stages").get(i);
    }

    @Test
    void eachFileIsABenchmarkOfItsOwnNamedByItsFileName() {
        EvalCommand.Plan p = plan("--model", "m", "--data", "a/math500.jsonl", "b/math500.jsonl", "aime.2024.parquet");
        assertThat(p.benchmarks().keySet()).containsExactly("math500", "math500_2", "aime_2024");
        Settings data = p.tree().settings().section("data");
        assertThat(data.section("aime_2024").string("source", null)).isEqualTo("parquet");
        assertThat(data.section("math500_2").string("source", null)).isEqualTo("jsonl");
        assertThat(data.section("math500_2").string("path", null)).endsWith("b/math500.jsonl");
        for (int i = 0; i < 3; i++) assertThat(stage(p, i).string("data", null)).isEqualTo(List.of("math500", "math500_2", "aime_2024").get(i));
        assertThat(stage(p, 0).integer("n", -1)).as("the command's default").isEqualTo(8);
        assertThat(stage(plan("--model", "m", "--data", "x.jsonl", "--no-greedy"), 0).flag("greedy", true)).isFalse();
        assertThatThrownBy(() -> new CommandLine(new EvalCommand()).parseArgs("--model", "m", "--data")).as("--data needs a file")
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void aProtocolSetsTheDecodingAndTheCommandLineOverridesIt() {
        EvalCommand.Plan r1 = plan("--model", "m", "--data", "x.jsonl", "--protocol", "r1", "-n", "8");
        Settings s = stage(r1, 0);
        assertThat(r1.protocol()).isEqualTo("deepseek-r1");
        assertThat(s.number("temperature", 0)).isEqualTo(0.6);
        assertThat(s.number("top_p", 0)).isEqualTo(0.95);
        assertThat(s.integer("max_new_tokens", 0)).isEqualTo(32768);
        assertThat(s.flag("greedy", true)).isFalse();
        assertThat(s.integer("n", 0)).as("-n wins over the protocol's 64").isEqualTo(8);
        assertThat(r1.tree().locate("stages[0].temperature")).startsWith("built-in eval-protocols.yaml:");
        assertThat(r1.tree().locate("stages[0].n")).isEqualTo("-n");

        EvalCommand.Plan greedyOnly = plan("--model", "m", "--data", "x.jsonl", "--protocol", "deepseek-r1", "-n", "0");
        assertThat(stage(greedyOnly, 0).flag("greedy", false)).as("-n 0 asks for greedy pass@1").isTrue();
        assertThat(stage(greedyOnly, 0).has("k")).isFalse();

        EvalCommand.Plan qwen = plan("--model", "m", "--data", "x.jsonl", "y.jsonl", "--protocol", "qwen2.5-math", "--max-new-tokens", "512");
        for (String set : List.of("x", "y")) {
            assertThat(qwen.tree().settings().section("data").section(set).string("system_prompt", null))
                    .isEqualTo("Please reason step by step, and put your final answer within \\boxed{}.");
        }
        assertThat(stage(qwen, 1).integer("n", -1)).isZero();
        assertThat(stage(qwen, 1).integer("max_new_tokens", 0)).isEqualTo(512);
        assertThat(qwen.settings()).containsEntry("seed", 0).containsEntry("greedy", true);

        EvalCommand.Plan mine = plan("--model", "m", "--data", "x.jsonl", "--protocol", "qwen2.5-math", "--data-set", "system_prompt=Be brief.");
        assertThat(mine.tree().settings().section("data").section("x").string("system_prompt", null)).isEqualTo("Be brief.");
        EvalCommand.Plan suffix = plan("--model", "m", "--data", "x.jsonl", "--data-set", "prompt_suffix=\"\\nBox it: \\\\boxed{}.\"");
        assertThat(suffix.tree().settings().section("data").section("x").string("prompt_suffix", null)).as("as docs/evaluation.md says")
                .isEqualTo("\nBox it: \\boxed{}.");
    }

    @Test
    void aProtocolFileIsReadAndItsMistakesNamed() throws Exception {
        Path file = tmp.resolve("mine.yaml");
        Files.writeString(file, "description: mine\neval:\n  n: 4\n  temperature: 0.7\n");
        EvalCommand.Plan p = plan("--model", "m", "--data", "x.jsonl", "--protocol", file.toString());
        assertThat(stage(p, 0).number("temperature", 0)).isEqualTo(0.7);
        assertThat(p.tree().locate("stages[0].temperature")).isEqualTo("mine.yaml:4");

        Files.writeString(file, "description: mine\nevals:\n  n: 4\n");
        assertThatThrownBy(() -> plan("--model", "m", "--data", "x.jsonl", "--protocol", file.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mine.yaml:2").hasMessageContaining("unknown key evals");
        assertThatThrownBy(() -> plan("--model", "m", "--data", "x.jsonl", "--protocol", "r2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such protocol").hasMessageContaining("deepseek-r1 (r1)")
                .hasMessageContaining("qwen2.5-math");
    }

    @Test
    void aSettingAStageRefusesIsNamedWhereTheProtocolWroteIt() throws Exception {
        Path data = tmp.resolve("d.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1?\", \"answer\": \"2\"}\n");
        Path file = tmp.resolve("cold.yaml");
        Files.writeString(file, "eval:\n  n: 4\n  temperature: 0\n");
        CliRun r = CliRun.of("eval", "--model", Path.of("../fixtures/qwen2-tiny").toAbsolutePath().toString(), "--data", data.toString(), "--protocol", file.toString(),
                "--output-dir", tmp.resolve("runs").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cold.yaml:3: stages[0].temperature = 0").contains("sampled pass@k needs temperature > 0");
        CliRun list = CliRun.of("eval", "--protocol", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("deepseek-r1 (also r1)").contains("temperature=0.6").contains("qwen2.5-math").contains("system_prompt");
    }

    /** A real checkpoint (the Qwen2 fixture) on two benchmarks, one of them Parquet-free GSM8K rows, sampled and greedy. */
    @Test
    void writesTheFiguresAndEveryResponseOfEachBenchmark() throws Exception {
        Path math = tmp.resolve("math500.jsonl");
        Files.writeString(math, """
                {"problem": "What is 1+1?", "answer": "2", "unique_id": "a"}
                {"problem": "What is 2+3?", "solution": "So it is \\\\boxed{5}.", "unique_id": "b"}
                """);
        Path gsm = tmp.resolve("gsm8k.jsonl");
        Files.writeString(gsm, """
                {"question": "Tom has 3 apples and buys 1,000 more. How many?", "answer": "3 + 1000 = 1003\\n#### 1,003"}
                """);
        Path out = tmp.resolve("results");
        CliRun r = CliRun.of("eval", "--model", Path.of("../fixtures/qwen2-tiny").toAbsolutePath().toString(), "--data", math.toString(),
                gsm.toString(), "-n", "3", "--temperature", "0.8", "--max-new-tokens", "6", "--output-dir", tmp.resolve("runs").toString(),
                "--output", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("avg@3").contains("pass@3").contains("math500").contains("gsm8k");
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("settings").get("n").asInt()).isEqualTo(3);
        assertThat(results.get("settings").get("temperature").asDouble()).isEqualTo(0.8);
        JsonNode m = results.get("benchmarks").get("math500");
        assertThat(m.get("problems").asInt()).isEqualTo(2);
        assertThat(m.get("data").asText()).isEqualTo(math.toString());
        assertThat(m.has("greedy_pass@1")).isTrue();
        for (String k : List.of("avg@3", "pass@1", "pass@2", "pass@3")) assertThat(m.get("sampled").has(k)).as(k).isTrue();
        assertThat(results.get("benchmarks").get("gsm8k").get("problems").asInt()).isEqualTo(1);

        List<String> mathLines = Files.readAllLines(out.resolve("math500.jsonl"));
        assertThat(mathLines).as("2 greedy + 2 x 3 sampled").hasSize(8);
        JsonNode second = JSON.readTree(mathLines.get(1));
        assertThat(second.get("decoding").asText()).isEqualTo("greedy");
        assertThat(second.get("expected").asText()).as("the gold read from the solution's box").isEqualTo("5");
        assertThat(second.has("outcome") && second.has("correct") && second.has("response")).isTrue();
        JsonNode gsmLine = JSON.readTree(Files.readAllLines(out.resolve("gsm8k.jsonl")).getFirst());
        assertThat(gsmLine.get("expected").asText()).as("the gold after ####, commas read").isEqualTo("1003");
        assertThat(Map.of("sample", JSON.readTree(mathLines.get(7)).get("sample").asInt())).containsEntry("sample", 2);
    }
}
