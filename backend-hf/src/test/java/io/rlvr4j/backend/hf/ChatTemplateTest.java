package io.rlvr4j.backend.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat templates beyond the two fixture tokenizers, against renderings by {@code @huggingface/jinja}
 * ({@code chat-templates/cases.json}, written by {@code scripts/chat-template-cases.mjs}): DeepSeek-R1's
 * {@code </think>} stripping and {@code <think>} generation prompt, Qwen2.5-Instruct's default system
 * prompt, a Llama-3 template with {@code bos_token} and {@code raise_exception}, and the constructs
 * templates use (macros, loop controls, slices with a step, string methods, filters); then where
 * templates are read from, and the errors.
 */
class ChatTemplateTest {

    private static final List<ChatMessage> USER = List.of(new ChatMessage("user", "hi"));

    @Test
    void rendersEveryCaseAsHuggingFaceJinja() throws IOException {
        JsonObject all;
        try (InputStream in = getClass().getResourceAsStream("/chat-templates/cases.json")) {
            all = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonObject templates = all.getAsJsonObject("templates");
        JsonObject specials = all.getAsJsonObject("specials");
        int n = 0;
        for (JsonElement e : all.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("template").getAsString();
            ChatTemplate t = ChatTemplate.of(templates.get(name).getAsString(), name, specials.getAsJsonObject(name));
            List<ChatMessage> messages = TokenizerFixtureTest.messages(c.get("messages"));
            boolean gen = c.get("add_generation_prompt").getAsBoolean();
            assertThat(c.get("error").isJsonNull()).as("reference error of %s: %s", name, c.get("error")).isTrue();
            assertThat(t.render(messages, gen, Map.of())).as("%s %s gen=%s", name, messages, gen).isEqualTo(c.get("rendered").getAsString());
            n++;
        }
        assertThat(n).isEqualTo(24);
    }

    @Test
    void r1StripsEarlierReasoningAndOpensThinking() {
        ChatTemplate r1 = template("r1");
        String out = r1.render(List.of(new ChatMessage("user", "a"), new ChatMessage("assistant", "<think>x</think>y"),
                new ChatMessage("user", "b")), true, Map.of());
        assertThat(out).doesNotContain("<think>x").contains("<｜Assistant｜>y<｜end▁of▁sentence｜>").endsWith("<｜Assistant｜><think>\n");
    }

    @Test
    void variablesReachTheTemplate() {
        Path qwen3 = TokenizerFixtureTest.fixture("qwen3");
        try (HfTokenizer tok = HfTokenizer.open(qwen3)) {
            assertThat(tok.applyChatTemplate(USER, true, Map.of("enable_thinking", false)))
                    .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
            assertThat(tok.applyChatTemplate(USER, true, Map.of())).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        }
    }

    @Test
    void raiseExceptionIsAnErrorNamingTheTemplate() {
        ChatTemplate llama = template("llama3");
        assertThatThrownBy(() -> llama.render(List.of(new ChatMessage("tool", "x")), true, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("llama3")
                .hasMessageContaining("Conversation roles must be user or assistant, not tool");
    }

    @Test
    void aConstructTheRendererDoesNotKnowIsAnErrorNamingTheFileAndTheConstruct(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ChatTemplate.TEMPLATE_FILE), "{% for m in messages %}{{ m.content | frobnicate }}{% endfor %}");
        ChatTemplate t = ChatTemplate.read(dir, null).orElseThrow();
        assertThatThrownBy(() -> t.render(USER, true, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve(ChatTemplate.TEMPLATE_FILE).toString()).hasMessageContaining("frobnicate");
        Files.writeString(dir.resolve(ChatTemplate.TEMPLATE_FILE), "{% for m in messages %}{{ m.content }}");
        ChatTemplate unclosed = ChatTemplate.read(dir, null).orElseThrow();
        assertThatThrownBy(unclosed::check).isInstanceOf(ConfigException.class).hasMessageContaining("does not parse");
    }

    @Test
    void theTemplateFileComesBeforeTokenizerConfigAndNamedTemplatesGiveDefault(@TempDir Path dir) throws IOException {
        JsonObject cfg = JsonParser.parseString("{\"eos_token\": \"E\", \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
                + " {\"name\": \"default\", \"template\": \"D{{ eos_token }}\"}]}").getAsJsonObject();
        assertThat(ChatTemplate.read(dir, cfg).orElseThrow().render(USER, true, Map.of())).isEqualTo("DE");
        Files.writeString(dir.resolve(ChatTemplate.TEMPLATE_FILE), "F{{ messages[0].content }}");
        assertThat(ChatTemplate.read(dir, cfg).orElseThrow().render(USER, true, Map.of())).isEqualTo("Fhi");
        assertThat(ChatTemplate.read(dir.resolve("none"), null)).isEmpty();
    }

    @Test
    void aTokenizerWithoutATemplateSaysSo(@TempDir Path dir) throws IOException {
        Path src = TokenizerFixtureTest.fixture("qwen3");
        Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (HfTokenizer tok = HfTokenizer.open(dir)) {
            assertThat(tok.hasChatTemplate()).isFalse();
            assertThatThrownBy(() -> tok.applyChatTemplate(USER, true, Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("has no chat template").hasMessageContaining("chat_template: false");
        }
    }

    @Test
    void bareTextGetsTheBosTokenWhereAddBosTokenAsks() {
        try (HfTokenizer ds = HfTokenizer.open(TokenizerFixtureTest.fixture("deepseek-v3"));
             HfTokenizer qwen = HfTokenizer.open(TokenizerFixtureTest.fixture("qwen3"))) {
            int[] plain = ds.encode("hello world");
            int[] withBos = ds.encodeWithSpecialTokens("hello world");
            assertThat(withBos).hasSize(plain.length + 1);
            assertThat(withBos[0]).isEqualTo(0); // <｜begin▁of▁sentence｜>
            assertThat(ds.encodeWithSpecialTokens("<｜begin▁of▁sentence｜>hello world")).containsExactly(withBos);
            assertThat(qwen.encodeWithSpecialTokens("hello world")).containsExactly(qwen.encode("hello world"));
        }
    }

    private static ChatTemplate template(String name) {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/cases.json")) {
            JsonObject all = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            return ChatTemplate.of(all.getAsJsonObject("templates").get(name).getAsString(), name, all.getAsJsonObject("specials").getAsJsonObject(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
