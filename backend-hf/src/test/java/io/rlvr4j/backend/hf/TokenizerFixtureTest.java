package io.rlvr4j.backend.hf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real tokenizers (Qwen3's, and DeepSeek-V3's, whose template DeepSeek-R1 uses) against
 * {@code fixtures/tokenizers/<name>/reference.json}, made by Hugging Face's own JS tokenizers and
 * {@code @huggingface/jinja}: every text's ids and decoded text, every chat rendering and its ids.
 */
class TokenizerFixtureTest {

    static Path fixture(String name) {
        for (Path p : new Path[] {Path.of("../fixtures/tokenizers", name), Path.of("fixtures/tokenizers", name)}) {
            if (Files.isDirectory(p)) return p.toAbsolutePath();
        }
        throw new IllegalStateException("fixtures/tokenizers/" + name + " not found");
    }

    static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }

    static List<ChatMessage> messages(JsonElement e) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonElement m : e.getAsJsonArray()) {
            out.add(new ChatMessage(m.getAsJsonObject().get("role").getAsString(), m.getAsJsonObject().get("content").getAsString()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "deepseek-v3"})
    void encodesAndDecodesEveryTextAsTheReference(String name) {
        Path dir = fixture(name);
        JsonObject ref = JsonFiles.readObject(dir.resolve("reference.json"));
        try (HfTokenizer tok = HfTokenizer.open(dir)) {
            for (JsonElement e : ref.getAsJsonArray("texts")) {
                JsonObject t = e.getAsJsonObject();
                String text = t.get("text").getAsString();
                int[] ids = tok.encode(text);
                assertThat(ids).as("ids of %s", text).containsExactly(ints(t.get("ids")));
                assertThat(tok.decode(ids, false)).as("decoded %s", text).isEqualTo(t.get("decoded").getAsString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "deepseek-v3"})
    void rendersEveryConversationAsTheReference(String name) {
        Path dir = fixture(name);
        JsonObject ref = JsonFiles.readObject(dir.resolve("reference.json"));
        try (HfTokenizer tok = HfTokenizer.open(dir)) {
            assertThat(tok.hasChatTemplate()).isTrue();
            for (JsonElement e : ref.getAsJsonArray("chat")) {
                JsonObject c = e.getAsJsonObject();
                boolean gen = c.get("add_generation_prompt").getAsBoolean();
                String rendered = tok.applyChatTemplate(messages(c.get("messages")), gen, Map.of());
                assertThat(rendered).as("%s, add_generation_prompt=%s", c.get("messages"), gen).isEqualTo(c.get("rendered").getAsString());
                assertThat(tok.encode(rendered)).as("ids of %s", rendered).containsExactly(ints(c.get("ids")));
            }
        }
    }
}
