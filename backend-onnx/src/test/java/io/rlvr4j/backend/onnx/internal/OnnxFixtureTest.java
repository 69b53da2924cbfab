package io.rlvr4j.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.backend.hf.Qwen2Config;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the ONNX graph to {@code fixtures/qwen2-tiny/reference.json}, written by an independent
 * PyTorch implementation of Qwen2: logits to 1e-4 at every position, the left-padded batch included,
 * and the greedy tokens of the sampler (with its key/value cache) exactly.
 */
class OnnxFixtureTest {

    static final Path DIR = locate();
    private static final double TOL = 1e-4;
    private static JsonObject reference;
    private static OnnxDecoder decoder;

    private static Path locate() {
        for (Path p : new Path[] {Path.of("../fixtures/qwen2-tiny"), Path.of("fixtures/qwen2-tiny")}) {
            if (Files.isRegularFile(p.resolve("config.json"))) return p.toAbsolutePath();
        }
        throw new IllegalStateException("qwen2-tiny fixture not found from " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void open() throws Exception {
        reference = JsonParser.parseString(Files.readString(DIR.resolve("reference.json"))).getAsJsonObject();
        decoder = new OnnxDecoder(Qwen2Config.read(DIR), true, OnnxSampler.read(DIR), 2);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    private static int[][] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[][] out = new int[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            out[i] = new int[r.size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = r.get(j).getAsInt();
        }
        return out;
    }

    @Test
    void logitsMatchTheReferenceIncludingTheLeftPaddedBatch() {
        int vocab = decoder.config().vocabSize();
        Rope rope = new Rope(decoder.config());
        int checked = 0;
        for (JsonElement ce : reference.getAsJsonArray("cases")) {
            JsonObject c = ce.getAsJsonObject();
            int[][] ids = ints(c.get("input_ids"));
            int[][] mask = ints(c.get("attention_mask"));
            int b = ids.length;
            int t = ids[0].length;
            long[] idl = new long[b * t];
            long[] pos = new long[b * t];
            // an empty cache with room for the tokens and two more (every slot masked), then causal and padding
            // masks among the tokens
            int cap = t + 2;
            float[] bias = new float[b * t * (cap + t)];
            for (int r = 0; r < b; r++) {
                int seen = 0;
                for (int q = 0; q < t; q++) {
                    idl[r * t + q] = ids[r][q];
                    seen += mask[r][q];
                    pos[r * t + q] = Math.max(seen - 1, 0);
                    int row = (r * t + q) * (cap + t);
                    for (int k = 0; k < cap; k++) bias[row + k] = -1e9f;
                    for (int k = 0; k < t; k++) bias[row + cap + k] = k <= q && mask[r][k] == 1 ? 0 : -1e9f;
                }
            }
            float[] logits;
            try (OnnxDecoder.KvCache cache = new OnnxDecoder.KvCache(decoder.config(), b, cap)) {
                logits = decoder.run(idl, pos, bias, b, t, cache, rope);
                assertThat(cache.length()).isEqualTo(t);
            }
            JsonArray first8 = c.getAsJsonArray("logits_first8");
            JsonArray lse = c.getAsJsonArray("logits_logsumexp");
            for (int r = 0; r < b; r++) {
                for (int q = 0; q < t; q++) {
                    JsonElement row = first8.get(r).getAsJsonArray().get(q);
                    if (row.isJsonNull()) continue;
                    int base = (r * t + q) * vocab;
                    for (int v = 0; v < 8; v++) {
                        assertThat((double) logits[base + v]).as("%s logits[%d,%d,%d]", c.get("name"), r, q, v)
                                .isCloseTo(row.getAsJsonArray().get(v).getAsDouble(), within(TOL));
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < vocab; v++) max = Math.max(max, logits[base + v]);
                    double sum = 0;
                    for (int v = 0; v < vocab; v++) sum += Math.exp(logits[base + v] - max);
                    assertThat(max + Math.log(sum)).as("%s logsumexp[%d,%d]", c.get("name"), r, q)
                            .isCloseTo(lse.get(r).getAsJsonArray().get(q).getAsDouble(), within(TOL));
                    checked++;
                }
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void greedyDecodingWithTheCacheMatchesTheReferenceAloneAndInALeftPaddedBatch() {
        try (OnnxSampler sampler = OnnxSampler.open(DIR, Settings.of(Map.of("threads", 2)))) {
            int cases = 0;
            for (JsonElement ce : reference.getAsJsonArray("cases")) {
                JsonObject c = ce.getAsJsonObject();
                int[][] ids = ints(c.get("input_ids"));
                int[][] mask = ints(c.get("attention_mask"));
                List<int[]> rows = new ArrayList<>();
                for (int b = 0; b < ids.length; b++) {
                    int n = Arrays.stream(mask[b]).sum();
                    rows.add(Arrays.copyOfRange(ids[b], ids[b].length - n, ids[b].length));
                }
                List<Generation> g = sampler.generate(rows, SamplingParams.greedy(16, Set.of()));
                int[][] tokens = ints(c.get("greedy_tokens"));
                JsonArray logProbs = c.getAsJsonArray("greedy_logprobs");
                for (int b = 0; b < tokens.length; b++) {
                    assertThat(g.get(b).tokens()).as("%s greedy tokens of row %d", c.get("name"), b).containsExactly(tokens[b]);
                    assertThat(g.get(b).finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
                    for (int k = 0; k < 16; k++) {
                        assertThat((double) g.get(b).logProbs()[k])
                                .isCloseTo(logProbs.get(b).getAsJsonArray().get(k).getAsDouble(), within(TOL));
                    }
                }
                cases++;
            }
            assertThat(cases).isPositive();
        }
    }
}
