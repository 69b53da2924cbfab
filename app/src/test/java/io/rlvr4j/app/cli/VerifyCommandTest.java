package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlvr4j verify math} with the real math plugin, found on the module path as in a run. */
class VerifyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void judgesOnePairAndExitsZeroOnlyWhenEqual() throws Exception {
        CliRun equal = CliRun.of("verify", "math", "--gold", "\\frac12", "--pred", "The answer is $0.5$.");
        assertThat(equal.code()).as(equal.err()).isZero();
        JsonNode v = new ObjectMapper().readTree(equal.out());
        assertThat(v.get("equal").asBoolean()).isTrue();
        assertThat(v.get("extracted").asText()).isEqualTo("0.5");
        assertThat(v.get("rule").asText()).isEqualTo("answer_phrase");
        assertThat(v.get("layer").asText()).isEqualTo("number");
        assertThat(v.get("micros").asLong()).isNotNegative();

        CliRun wrong = CliRun.of("verify", "math", "--gold", "(1,2]", "--pred", "\\boxed{[1,2]}");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(wrong.out()).get("equal").asBoolean()).isFalse();
    }

    @Test
    void judgesAFileLineByLineAndSummarises() throws Exception {
        Path in = tmp.resolve("cases.jsonl");
        Files.writeString(in, """
                {"id": "a", "gold": "72", "pred": "so \\\\boxed{72}"}
                {"gold": "\\\\frac{3}{4}", "pred": "0.75"}

                {"answer": "x^2+2x+1", "response": "\\\\boxed{(x+1)^2}", "source": "mine"}
                {"gold": "2", "pred": "\\\\boxed{3}"}
                """);
        Path out = tmp.resolve("out/verdicts.jsonl");
        CliRun r = CliRun.of("verify", "math", "--input", in.toString(), "--output", out.toString(), "--set", "scheme=simplerl");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("cases        4").contains("equal        3").contains("not equal    1").contains("cases/s");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        JsonNode third = new ObjectMapper().readTree(lines.get(2));
        assertThat(third.get("source").asText()).as("input fields are kept").isEqualTo("mine");
        assertThat(third.get("layer").asText()).isEqualTo("symbolic");
        JsonNode last = new ObjectMapper().readTree(lines.get(3));
        assertThat(last.get("equal").asBoolean()).isFalse();
        assertThat(last.get("reward").asDouble()).as("SimpleRL's wrong-answer reward").isEqualTo(-0.5);
    }

    @Test
    void judgesProgramsByTheirTests() throws Exception {
        Path in = tmp.resolve("code.jsonl");
        Files.writeString(in, """
                {"id": "he", "prompt": "def add(a, b):\\n", "completion": "    return a + b\\n", "test": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n", "entry_point": "add"}
                {"id": "io", "code": "print(int(input()) * 2)", "inputs": ["2\\n", "5\\n"], "outputs": ["4\\n", "11\\n"]}
                """);
        Path out = tmp.resolve("verdicts.jsonl");
        CliRun r = CliRun.of("verify", "code", "--input", in.toString(), "--output", out.toString(), "--sandbox", "graalpy");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("passed       1").contains("failed       1");
        List<String> lines = Files.readAllLines(out);
        JsonNode he = new ObjectMapper().readTree(lines.get(0));
        assertThat(he.get("passed").asBoolean()).isTrue();
        assertThat(he.get("total_tests").asInt()).isEqualTo(1);
        JsonNode io = new ObjectMapper().readTree(lines.get(1));
        assertThat(io.get("passed").asBoolean()).isFalse();
        assertThat(io.get("passed_tests").asInt()).isEqualTo(1);
        assertThat(io.get("status").asText()).isEqualTo("wrong_answer");
        assertThat(io.get("got").asText()).isEqualTo("10\n");
        assertThat(io.has("millis")).isTrue();

        CliRun other = CliRun.of("verify", "code", "--input", in.toString(), "--sandbox", "docker");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("sandbox").contains("graalvm").contains("subprocess");
    }

    @Test
    void judgesJavaScriptPrograms() throws Exception {
        Path in = tmp.resolve("js.jsonl");
        ObjectMapper json = new ObjectMapper();
        Files.writeString(in, json.writeValueAsString(java.util.Map.of("id", "io",
                "response", "```js\nconst n = Number(readline());\nconsole.log(n * 2);\n```",
                "inputs", List.of("2\n", "5\n"), "outputs", List.of("4\n", "10\n"))) + "\n");
        CliRun r = CliRun.of("verify", "code", "--input", in.toString(), "--language", "javascript");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("passed       1");
        CliRun python = CliRun.of("verify", "code", "--input", in.toString(), "--language", "javascript", "--sandbox", "subprocess");
        assertThat(python.code()).isEqualTo(2);
        assertThat(python.err()).contains("subprocess runs Python only");
    }

    @Test
    void badInputNamesFileAndLine() throws Exception {
        Path in = tmp.resolve("bad.jsonl");
        Files.writeString(in, "{\"gold\": \"1\", \"pred\": \"1\"}\n{\"pred\": \"1\"}\n");
        CliRun r = CliRun.of("verify", "math", "--input", in.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.jsonl:2: no reference: give \"gold\"");

        CliRun unknownKey = CliRun.of("verify", "math", "--gold", "1", "--pred", "1", "--set", "schem=binary");
        assertThat(unknownKey.code()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("schem");

        CliRun unknownPlugin = CliRun.of("verify", "maths", "--gold", "1", "--pred", "1");
        assertThat(unknownPlugin.err()).contains("unknown reward function 'maths'").contains("math");
    }
}
