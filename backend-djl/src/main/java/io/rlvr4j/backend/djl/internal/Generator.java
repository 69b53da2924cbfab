package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.backend.hf.DecodeLoop;
import io.rlvr4j.backend.hf.DecoderConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Batched autoregressive decoding on the DJL model: the engine side of {@link DecodeLoop} (which
 * chooses the tokens, pads, and compacts), with the model's preallocated {@link KvCache}.
 *
 * <p>Attention bias: the prefill's is causal and hides each row's padding keys; a step's hides the
 * padding slots (none when no row is padded).
 */
final class Generator implements DecodeLoop.Decoder {

    private final Qwen2Model model;
    private final int batchRows;

    /**
     * @param batchRows the most prompts decoded together; longer requests run in chunks
     */
    Generator(Qwen2Model model, int batchRows) {
        this.model = model;
        this.batchRows = batchRows;
    }

    /** Generates one continuation per prompt; see {@link io.rlvr4j.api.Sampler#generate}. */
    List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer) {
        return generate(prompts, params, tokenizer, DecodeLoop.Placement.AUTO);
    }

    List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer, DecodeLoop.Placement placement) {
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            return DecodeLoop.generate(prompts, params, tokenizer, model.config().vocabSize(), batchRows, this, placement);
        }
    }

    @Override
    public DecodeLoop.Prefill start(long[] ids, long[] positions, int[] pad, int width, int capacity, DecodeLoop.Pick pick) {
        DecoderConfig c = model.config();
        NDManager m = model.manager();
        int n = pad.length;
        model.ensureRope(capacity + 1);
        NDScope scope = new NDScope(); // the chunk's arrays; closed with the chunk
        KvCache cache = null;
        try {
            cache = new KvCache(m, c.numLayers(), n, c.numKvHeads(), capacity, c.headDim());
            // decode-time bias over all cache slots: padding slots masked; null when no row is padded
            NDArray stepBias = null;
            if (Arrays.stream(pad).anyMatch(p -> p > 0)) {
                float[] b = new float[n * capacity];
                for (int i = 0; i < n; i++) for (int k = 0; k < pad[i]; k++) b[i * capacity + k] = DecodeLoop.MASKED;
                stepBias = m.create(b, new Shape(n, 1, 1, 1, capacity));
            }
            float[] causal = new float[width * width];
            for (int q = 0; q < width; q++) for (int k = q + 1; k < width; k++) causal[q * width + k] = DecodeLoop.MASKED;
            DecodeLoop.Scores scores;
            NDArray kept;
            try (NDScope _ = new NDScope()) {
                // causal [1, 1, 1, W, W] plus, for padded rows, the padding keys [n, 1, 1, 1, W]
                NDArray bias = m.create(causal, new Shape(1, 1, 1, width, width));
                if (stepBias != null) bias = bias.add(Ops.slice(stepBias, new long[] {0, 0, 0, 0, 0}, new long[] {n, 1, 1, 1, width}));
                NDArray h = model.hidden(m.create(ids, new Shape(n, width)), m.create(positions, new Shape(n, width)), bias, cache, 0);
                NDArray last = Ops.slice(h, new long[] {0, width - 1, 0}, new long[] {n, width, c.hiddenSize()});
                NDArray logits = model.logits(last);
                scores = DeviceChoice.scores(logits, pick);
                kept = keepLogits(logits, pick);
            }
            Chunk chunk = new Chunk(scope, cache, stepBias);
            chunk.lastLogits = kept;
            return new DecodeLoop.Prefill(chunk, scores);
        } catch (RuntimeException e) {
            if (cache != null) cache.close();
            scope.close();
            throw e;
        }
    }

    /** {@return {@code logits} taken out of the step's scope} when a top-k/top-p draw may read it after the step, else null */
    private static NDArray keepLogits(NDArray logits, DecodeLoop.Pick pick) {
        if (pick.kind() != DecodeLoop.Pick.Kind.TOP) return null;
        NDScope.unregister(logits);
        return logits;
    }

    private final class Chunk implements DecodeLoop.Chunk {
        private final NDScope scope;
        private final KvCache cache;
        private NDArray stepBias;
        /** the last step's logits, which a top-k/top-p draw may read a row of until the next step */
        private NDArray lastLogits;

        Chunk(NDScope scope, KvCache cache, NDArray stepBias) {
            this.scope = scope;
            this.cache = cache;
            this.stepBias = stepBias;
        }

        @Override
        public DecodeLoop.Scores step(long[] ids, long[] positions, int[] pad, int filled, DecodeLoop.Pick pick) {
            NDManager m = model.manager();
            int b = ids.length;
            dropLogits();
            try (NDScope _ = new NDScope()) {
                NDArray bias = stepBias == null ? null
                        : Ops.slice(stepBias, new long[] {0, 0, 0, 0, 0}, new long[] {b, 1, 1, 1, filled + 1});
                NDArray h = model.hidden(m.create(ids, new Shape(b, 1)), m.create(positions, new Shape(b, 1)), bias, cache, filled);
                NDArray logits = model.logits(h);
                DecodeLoop.Scores scores = DeviceChoice.scores(logits, pick);
                lastLogits = keepLogits(logits, pick);
                return scores;
            }
        }

        private void dropLogits() {
            if (lastLogits != null) lastLogits.close();
            lastLogits = null;
        }

        @Override
        public void keep(int[] rows) {
            NDArray keep = model.manager().create(Arrays.stream(rows).asLongStream().toArray());
            cache.select(keep);
            if (stepBias != null) {
                NDArray kept = stepBias.get(new NDIndex("{}", keep));
                stepBias.close();
                stepBias = kept;
            }
            keep.close();
        }

        @Override
        public void close() {
            dropLogits();
            try {
                cache.close();
            } finally {
                scope.close();
            }
        }
    }
}
