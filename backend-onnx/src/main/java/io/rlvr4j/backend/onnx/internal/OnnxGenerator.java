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
 * <p>Attention bias: at prefill, every cache slot is masked (the cache is empty) and the prompt
 * tokens are causal with their padding hidden; at a step, the new token sees the filled, non-padding
 * slots and itself.
 */
final class OnnxGenerator implements DecodeLoop.Decoder {

    /** The additive bias that removes a key from attention (as the DJL engine's). */
    static final float MASKED = -1e9f;

    private final OnnxDecoder decoder;
    private final Rope rope;
    private final int batchRows;

    OnnxGenerator(OnnxDecoder decoder, int batchRows) {
        this.decoder = decoder;
        this.rope = new Rope(decoder.config());
        this.batchRows = batchRows;
    }

    List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer) {
        return DecodeLoop.generate(prompts, params, tokenizer, decoder.config().vocabSize(), batchRows, this);
    }

    @Override
    public DecodeLoop.Chunk start(long[] ids, long[] positions, int[] pad, int width, int capacity) {
        int n = pad.length;
        float[] bias = new float[n * width * (capacity + width)];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < width; q++) {
                int row = (i * width + q) * (capacity + width);
                Arrays.fill(bias, row, row + capacity, MASKED);
                for (int k = 0; k < width; k++) bias[row + capacity + k] = k > q || k < pad[i] ? MASKED : 0;
            }
        }
        OnnxDecoder.KvCache cache = new OnnxDecoder.KvCache(decoder.config(), n, capacity);
        try {
            return new Chunk(cache, decoder.run(ids, positions, bias, n, width, cache, rope));
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    private final class Chunk implements DecodeLoop.Chunk {
        private OnnxDecoder.KvCache cache;
        private float[] logits;

        Chunk(OnnxDecoder.KvCache cache, float[] logits) {
            this.cache = cache;
            this.logits = logits;
        }

        @Override
        public float[] logits() {
            return logits;
        }

        @Override
        public void step(long[] ids, long[] positions, int[] pad, int filled) {
            if (filled != cache.length()) throw new IllegalStateException("the cache holds " + cache.length() + " slots, not " + filled);
            int b = ids.length;
            int capacity = cache.capacity;
            float[] bias = new float[b * (capacity + 1)];
            for (int slot = 0; slot < b; slot++) {
                int row = slot * (capacity + 1);
                Arrays.fill(bias, row, row + pad[slot], MASKED);
                Arrays.fill(bias, row + filled, row + capacity, MASKED);
            }
            logits = decoder.run(ids, positions, bias, b, 1, cache, rope);
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
