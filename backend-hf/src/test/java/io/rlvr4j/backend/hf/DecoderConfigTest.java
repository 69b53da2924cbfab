package io.rlvr4j.backend.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code config.json} as {@link DecoderConfig} and {@link Rope} read it: the rotary frequencies of every
 * rope type against values computed by {@code transformers}' own {@code modeling_rope_utils} in
 * PyTorch ({@code rope/cases.json}), transformers 5's {@code rope_parameters} alike, and what is
 * refused, by file and key.
 */
class DecoderConfigTest {

    @TempDir
    Path dir;

    static List<JsonObject> ropeCases() throws IOException {
        try (Reader r = new InputStreamReader(Objects.requireNonNull(DecoderConfigTest.class.getResourceAsStream("/rope/cases.json")),
                StandardCharsets.UTF_8)) {
            List<JsonObject> out = new ArrayList<>();
            for (JsonElement e : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("cases")) out.add(e.getAsJsonObject());
            return out;
        }
    }

    private DecoderConfig read(JsonObject config) throws IOException {
        Files.writeString(dir.resolve("config.json"), config.toString());
        return DecoderConfig.read(dir);
    }

    private static JsonObject llama(JsonObject fields) {
        JsonObject o = new JsonObject();
        o.addProperty("model_type", "llama");
        o.addProperty("vocab_size", 32);
        o.addProperty("intermediate_size", 64);
        o.addProperty("num_hidden_layers", 1);
        for (String k : fields.keySet()) o.add(k, fields.get(k));
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ropeCases")
    void rotaryFrequenciesAreTransformersOwn(JsonObject c) throws IOException {
        DecoderConfig config = read(llama(c.getAsJsonObject("config")));
        float[] inv = config.rope().inverseFrequencies();
        var expected = c.getAsJsonArray("inv_freq");
        assertThat(inv).hasSize(expected.size());
        for (int i = 0; i < inv.length; i++) {
            double e = expected.get(i).getAsDouble();
            assertThat((double) inv[i]).as("%s inv_freq[%d]", c.get("name"), i).isCloseTo(e, within(Math.abs(e) * 2e-6));
        }
        assertThat((double) config.rope().attentionFactor()).isCloseTo(c.get("attention_factor").getAsDouble(), within(1e-6));

        // transformers 5 writes the same as rope_parameters, rope_theta inside
        JsonObject v5 = c.getAsJsonObject("config").deepCopy();
        JsonObject params = v5.remove("rope_scaling").getAsJsonObject();
        params.add("rope_theta", v5.remove("rope_theta"));
        v5.add("rope_parameters", params);
        assertThat(read(llama(v5)).rope().inverseFrequencies()).containsExactly(inv);
    }

    @Test
    void rotaryTablesCarryTheAttentionFactorInBothHalvesOfAHead() throws IOException {
        JsonObject yarn = ropeCases().stream().filter(c -> c.get("name").getAsString().startsWith("yarn x8")).findFirst().orElseThrow();
        DecoderConfig config = read(llama(yarn.getAsJsonObject("config")));
        RotaryTables t = RotaryTables.of(config, 3);
        int d = config.headDim();
        float[] inv = config.rope().inverseFrequencies();
        for (int i = 0; i < d / 2; i++) {
            float expected = (float) Math.cos(2f * inv[i]) * 0.9f;
            assertThat(t.cos()[2 * d + i]).isEqualTo(expected);
            assertThat(t.cos()[2 * d + i + d / 2]).isEqualTo(expected);
        }
        assertThat(t.sin()[0]).isZero();
    }

    @Test
    void dynamicRopeRefusesSequencesBeyondTheOriginalContext() throws IOException {
        JsonObject c = JsonParser.parseString("{\"hidden_size\": 64, \"num_attention_heads\": 4, \"max_position_embeddings\": 512,"
                + " \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}}").getAsJsonObject();
        Rope rope = read(llama(c)).rope();
        rope.checkLength(512);
        assertThatThrownBy(() -> rope.checkLength(513)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("513 tokens").hasMessageContaining("512 positions").hasMessageContaining("dynamic");
    }

    @Test
    void familiesTakeTheirSwitchesFromTheirKeys() throws IOException {
        JsonObject qwen3 = llama(JsonParser.parseString("{\"hidden_size\": 48, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
                + " \"head_dim\": 16}").getAsJsonObject());
        qwen3.addProperty("model_type", "qwen3");
        DecoderConfig q = read(qwen3);
        assertThat(q.qkNorm()).isTrue();
        assertThat(q.attentionBias()).isFalse();
        assertThat(q.queryWidth()).isEqualTo(64);
        assertThat(q.keyValueWidth()).isEqualTo(32);
        assertThat(q.rope().type()).isEqualTo("default");

        JsonObject qwen2 = llama(JsonParser.parseString("{\"hidden_size\": 64, \"num_attention_heads\": 4}").getAsJsonObject());
        qwen2.addProperty("model_type", "qwen2");
        DecoderConfig q2 = read(qwen2);
        assertThat(q2.attentionBias()).isTrue();
        assertThat(q2.qkNorm()).isFalse();
        assertThat(q2.numKvHeads()).isEqualTo(4);
        assertThat(q2.headDim()).isEqualTo(16);
    }

    @Test
    void whatTheBackendsDoNotImplementIsRefusedByFileAndKey() throws IOException {
        String base = "\"hidden_size\": 64, \"num_attention_heads\": 4";
        record Bad(String extra, String type, String... expected) {
        }
        List<Bad> bad = List.of(
                new Bad("\"attention_bias\": true", "llama", "attention_bias", "not implemented"),
                new Bad("\"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 2.0}", "llama", "rope_scaling.rope_type", "longrope",
                        "default, linear, dynamic, yarn and llama3"),
                new Bad("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}", "llama", "rope_scaling.low_freq_factor"),
                new Bad("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 0}", "llama", "rope_scaling.factor", "positive"),
                new Bad("\"partial_rotary_factor\": 0.5", "llama", "partial_rotary_factor"),
                new Bad("\"num_key_value_heads\": 3", "llama", "num_key_value_heads", "must divide"),
                new Bad("\"head_dim\": 32", "qwen2", "head_dim", "hidden_size / num_attention_heads"),
                new Bad("", "gemma2", "model_type", "gemma2", "qwen2, qwen3, llama"));
        for (Bad b : bad) {
            JsonObject o = llama(JsonParser.parseString("{" + base + (b.extra.isEmpty() ? "" : ", " + b.extra) + "}").getAsJsonObject());
            o.addProperty("model_type", b.type);
            var thrown = assertThatThrownBy(() -> read(o)).as(b.extra).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(dir.resolve("config.json").toString());
            for (String e : b.expected) thrown.hasMessageContaining(e);
        }
    }
}
