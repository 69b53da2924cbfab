package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlvr4j tokens} against the Qwen3 and DeepSeek-V3 tokenizer fixtures' references. */
class TokensCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersEveryTextAndConversationAsTheReference(@TempDir Path tmp) throws IOException {
        for (String name : List.of("qwen3", "deepseek-v3")) {
            Path dir = Path.of("../fixtures/tokenizers", name).toAbsolutePath();
            JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
            List<String> lines = new ArrayList<>();
            List<JsonNode> expected = new ArrayList<>();
            for (JsonNode t : ref.get("texts")) {
                lines.add(JSON.writeValueAsString(JSON.createObjectNode().put("text", t.get("text").asText())));
                expected.add(t);
            }
            for (JsonNode c : ref.get("chat")) {
                ObjectNode line = JSON.createObjectNode();
                line.set("messages", c.get("messages"));
                line.put("add_generation_prompt", c.get("add_generation_prompt").asBoolean());
                lines.add(JSON.writeValueAsString(line));
                expected.add(c);
            }
            Path in = tmp.resolve(name + ".jsonl");
            Path out = tmp.resolve(name + "-out.jsonl");
            Files.write(in, lines, StandardCharsets.UTF_8);
            CliRun r = CliRun.of("tokens", "--tokenizer", dir.toString(), "--input", in.toString(), "--output", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            List<String> answers = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(answers).hasSameSizeAs(expected);
            for (int i = 0; i < answers.size(); i++) {
                JsonNode a = JSON.readTree(answers.get(i));
                assertThat(a.get("ids")).as("%s line %d", name, i + 1).isEqualTo(expected.get(i).get("ids"));
                if (expected.get(i).has("rendered")) assertThat(a.get("rendered")).isEqualTo(expected.get(i).get("rendered"));
                else assertThat(a.get("text")).isEqualTo(expected.get(i).get("text"));
            }
        }
    }

    @Test
    void writesToStandardOutputInUtf8() throws IOException {
        Path dir = Path.of("../fixtures/tokenizers/qwen3").toAbsolutePath();
        Path in = Files.createTempFile("tokens", ".jsonl");
        Files.writeString(in, "{\"messages\": [{\"role\": \"user\", \"content\": \"数学\"}], \"chat_template_kwargs\": {\"enable_thinking\": false}}\n");
        CliRun r = CliRun.of("tokens", "--model", dir.toString(), "--input", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode a = JSON.readTree(r.out());
        assertThat(a.get("rendered").asText()).isEqualTo("<|im_start|>user\n数学<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void aBadLineIsNamedAndNothingIsWritten(@TempDir Path tmp) throws IOException {
        Path dir = Path.of("../fixtures/tokenizers/qwen3").toAbsolutePath();
        Path in = tmp.resolve("in.jsonl");
        Path out = tmp.resolve("out.jsonl");
        Files.writeString(in, "{\"text\": \"fine\"}\n{\"messages\": [{\"role\": \"user\"}]}\n");
        CliRun r = CliRun.of("tokens", "--tokenizer", dir.toString(), "--input", in.toString(), "--output", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(in + ":2: messages[0] must be {\"role\": string, \"content\": string}");
        assertThat(out).doesNotExist();
        Files.writeString(in, "{\"prompt\": \"x\"}\n");
        assertThat(CliRun.of("tokens", "--tokenizer", dir.toString(), "--input", in.toString()).err())
                .contains(in + ":1: give \"text\" (a string) or \"messages\"");
    }
}
