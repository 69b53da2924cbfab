package io.rlvr4j.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.nio.file.Path;
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

    private static final Path DIR = Qwen2Reference.DIR;
    private static OnnxDecoder decoder;

    @BeforeAll
    static void open() {
        decoder = new OnnxDecoder(DecoderConfig.read(DIR), true, OnnxSampler.read(DIR), 2);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void logitsMatchTheReferenceIncludingTheLeftPaddedBatch() {
        int vocab = decoder.config().vocabSize();
        int checked = 0;
        for (JsonObject c : Qwen2Reference.cases()) {
            Qwen2Reference.Batch batch = Qwen2Reference.batch(c);
            int b = batch.rows();
            int t = batch.width();
            // an empty cache with room for the tokens and two more; positions are the cache's slots (see OnnxDecoder.run)
            int cap = t + 2;
            float[] logits;
            try (OnnxDecoder.KvCache cache = new OnnxDecoder.KvCache(decoder.config(), b, cap)) {
                logits = decoder.run(batch.ids(), batch.bias(), b, t, cache);
                assertThat(cache.length()).isEqualTo(t);
            }
            checked += Qwen2Reference.assertLogitsMatch(c, logits, vocab);
        }
        assertThat(checked).isPositive();
    }

    @Test
    void greedyDecodingWithTheCacheMatchesTheReferenceAloneAndInALeftPaddedBatch() {
        try (OnnxSampler sampler = OnnxSampler.open(DIR, Settings.of(Map.of("threads", 2)))) {
            int cases = 0;
            for (JsonObject c : Qwen2Reference.cases()) {
                List<int[]> rows = Qwen2Reference.rows(c);
                List<Generation> g = sampler.generate(rows, SamplingParams.greedy(16, Set.of()));
                int[][] tokens = Qwen2Reference.ints(c.get("greedy_tokens"));
                JsonArray logProbs = c.getAsJsonArray("greedy_logprobs");
                for (int b = 0; b < tokens.length; b++) {
                    assertThat(g.get(b).tokens()).as("%s greedy tokens of row %d", c.get("name"), b).containsExactly(tokens[b]);
                    assertThat(g.get(b).finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
                    for (int k = 0; k < 16; k++) {
                        assertThat((double) g.get(b).logProbs()[k])
                                .isCloseTo(logProbs.get(b).getAsJsonArray().get(k).getAsDouble(), within(Qwen2Reference.TOL));
                    }
                }
                cases++;
            }
            assertThat(cases).isPositive();
        }
    }

    @Test
    void aModelWhoseHeadsTheAttentionOperatorCannotTakeIsRefusedNamingTheFix() {
        DecoderConfig c = DecoderConfig.read(DIR);
        DecoderConfig narrow = new DecoderConfig(c.modelType(), c.vocabSize(), 64, c.intermediateSize(), c.numLayers(), 8, 2, 8,
                c.attentionBias(), c.qkNorm(), c.rmsNormEps(), c.rope(), c.maxPositionEmbeddings(), c.tieWordEmbeddings(),
                c.initializerRange(), c.eosTokenIds(), c.bosTokenId(), c.json());
        assertThatThrownBy(() -> new OnnxDecoder(narrow, false, null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head_dim").hasMessageContaining("multiple of 16").hasMessageContaining("is 8")
                .hasMessageContaining("rollout.engine: policy");
    }

    @Test
    void weightsThatDoNotFitAreRefusedNamingEachTensor() {
        try (OnnxSampler sampler = OnnxSampler.open(DIR, Settings.of(Map.of("threads", 1)))) {
            Map<String, WeightTensor> good = OnnxSampler.read(DIR);
            Map<String, WeightTensor> extra = new java.util.HashMap<>(good);
            extra.put("model.rotary.inv_freq", new WeightTensor(new long[] {2}, new float[2]));
            assertThatThrownBy(() -> sampler.loadWeights(extra)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the model has no tensors named [model.rotary.inv_freq]");
            Map<String, WeightTensor> wrong = new java.util.HashMap<>(good);
            wrong.remove("model.norm.weight");
            wrong.put("model.embed_tokens.weight", new WeightTensor(new long[] {2, 3}, new float[6]));
            assertThatThrownBy(() -> sampler.loadWeights(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model.embed_tokens.weight has shape [2, 3], the model expects [64, 64]")
                    .hasMessageContaining("missing model.norm.weight");
            sampler.loadWeights(good); // still usable
            assertThat(sampler.generate(List.of(new int[] {1, 2, 3}), SamplingParams.greedy(2, Set.of())).getFirst().tokens()).hasSize(2);
        }
    }
}
