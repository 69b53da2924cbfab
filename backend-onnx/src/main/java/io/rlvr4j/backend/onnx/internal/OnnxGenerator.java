package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.backend.hf.DecodeLoop;
import java.util.Arrays;
import java.util.List;

/**
 * Batched autoregressive decoding on an {@link OnnxDecoder}: the engine side of {@link DecodeLoop}
 * (which chooses the tokens, pads and compacts, as for the DJL engine), with a caller-owned
 * {@link OnnxDecoder.KvCache}.
 *
 * <p>Attention bias: at prefill, the prompt tokens are causal with their padding hidden; at a step,
 * the new token sees the filled, non-padding slots and itself. Positions are the cache slots' (see
 * {@link OnnxDecoder#run}), so the loop's positions are not needed.
 */
final class OnnxGenerator implements DecodeLoop.Decoder {

    private final OnnxDecoder decoder;
    private final int batchRows;

    OnnxGenerator(OnnxDecoder decoder, int batchRows) {
        this.decoder = decoder;
        this.batchRows = batchRows;
    }

    List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer) {
        return generate(prompts, params, tokenizer, DecodeLoop.Placement.AUTO);
    }

    List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer, DecodeLoop.Placement placement) {
        return DecodeLoop.generate(prompts, params, tokenizer, decoder.config().vocabSize(), batchRows, this, placement);
    }

    @Override
    public DecodeLoop.Prefill start(long[] ids, long[] positions, int[] pad, int width, int capacity, DecodeLoop.Pick pick) {
        int n = pad.length;
        float[] bias = new float[n * width * width];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < width; q++) {
                int row = (i * width + q) * width;
                for (int k = 0; k < width; k++) bias[row + k] = k > q || k < pad[i] ? DecodeLoop.MASKED : 0;
            }
        }
        OnnxDecoder.KvCache cache = new OnnxDecoder.KvCache(decoder.config(), n, capacity);
        try {
            return new DecodeLoop.Prefill(new Chunk(cache), decoder.run(ids, bias, n, width, cache, pick));
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    private final class Chunk implements DecodeLoop.Chunk {
        private OnnxDecoder.KvCache cache;

        Chunk(OnnxDecoder.KvCache cache) {
            this.cache = cache;
        }

        @Override
        public DecodeLoop.Scores step(long[] ids, long[] positions, int[] pad, int filled, DecodeLoop.Pick pick) {
            if (filled != cache.length()) throw new IllegalStateException("the cache holds " + cache.length() + " slots, not " + filled);
            int b = ids.length;
            float[] bias = new float[b * (filled + 1)];
            for (int slot = 0; slot < b; slot++) Arrays.fill(bias, slot * (filled + 1), slot * (filled + 1) + pad[slot], DecodeLoop.MASKED);
            return decoder.run(ids, bias, b, 1, cache, pick);
        }

        @Override
        public void keep(int[] rows) {
            OnnxDecoder.KvCache kept = cache.select(decoder.config(), rows);
            cache.close();
            cache = kept;
        }

        @Override
        public void close() {
            cache.close();
        }
    }
}
