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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds the ONNX graph to the {@code reference.json} of {@code qwen2-tiny}, {@code qwen3-tiny} (q/k
 * RMSNorm per head, no bias) and {@code llama-tiny} (no bias, rope_scaling llama3, tied head), written
 * by an independent PyTorch implementation: logits to 1e-4 at every position, the left-padded batch
 * included, and the greedy tokens and log-probs of the sampler (with its key/value cache).
 */
@ParameterizedClass
@ValueSource(strings = {"qwen2-tiny", "qwen3-tiny", "llama-tiny", "qwen2-bf16-tied", "qwen3-bf16-tied", "llama-f16-untied"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxFixtureTest {

    @Parameter
    String fixture;

    private Path dir;
    private List<JsonObject> cases;
    private OnnxDecoder decoder;

    @BeforeParameterizedClassInvocation
    void open() {
        dir = Qwen2Reference.fixture(fixture);
        cases = Qwen2Reference.cases(Qwen2Reference.reference(dir));
        decoder = new OnnxDecoder(DecoderConfig.read(dir), true, OnnxSampler.read(dir), 2);
    }

    @AfterParameterizedClassInvocation
    void close() {
        decoder.close();
    }

    @Test
    void logitsMatchTheReferenceIncludingTheLeftPaddedBatch() {
        int vocab = decoder.config().vocabSize();
        int checked = 0;
        for (JsonObject c : cases) {
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
        try (OnnxSampler sampler = OnnxSampler.open(dir, Settings.of(Map.of("threads", 2)))) {
            int decoded = 0;
            for (JsonObject c : cases) {
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
                decoded++;
            }
            assertThat(decoded).isPositive();
        }
    }

    @Test
    void aModelWhoseHeadsTheAttentionOperatorCannotTakeIsRefusedNamingTheFix() {
        DecoderConfig c = DecoderConfig.read(dir);
        DecoderConfig narrow = new DecoderConfig(c.modelType(), c.vocabSize(), 64, c.intermediateSize(), c.numLayers(), 8, 2, 8,
                c.attentionBias(), c.qkNorm(), c.rmsNormEps(), c.rope(), c.maxPositionEmbeddings(), c.tieWordEmbeddings(),
                c.initializerRange(), c.eosTokenIds(), c.bosTokenId(), c.json());
        assertThatThrownBy(() -> new OnnxDecoder(narrow, false, null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head_dim").hasMessageContaining("multiple of 16").hasMessageContaining("is 8")
                .hasMessageContaining("rollout.engine: policy");
    }

    @Test
    void weightsThatDoNotFitAreRefusedNamingEachTensor() {
        try (OnnxSampler sampler = OnnxSampler.open(dir, Settings.of(Map.of("threads", 1)))) {
            Map<String, WeightTensor> good = OnnxSampler.read(dir);
            Map<String, WeightTensor> extra = new java.util.HashMap<>(good);
            extra.put("model.rotary.inv_freq", new WeightTensor(new long[] {2}, new float[2]));
            assertThatThrownBy(() -> sampler.loadWeights(extra)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the model has no tensors named [model.rotary.inv_freq]");
            Map<String, WeightTensor> wrong = new java.util.HashMap<>(good);
            wrong.remove("model.norm.weight");
            wrong.put("model.embed_tokens.weight", new WeightTensor(new long[] {2, 3}, new float[6]));
            assertThatThrownBy(() -> sampler.loadWeights(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model.embed_tokens.weight has shape [2, 3], the model expects ["
                            + decoder.config().vocabSize() + ", " + decoder.config().hiddenSize() + "]")
                    .hasMessageContaining("missing model.norm.weight");
            sampler.loadWeights(good); // still usable
            assertThat(sampler.generate(List.of(new int[] {1, 2, 3}), SamplingParams.greedy(2, Set.of())).getFirst().tokens()).hasSize(2);
        }
    }
}
