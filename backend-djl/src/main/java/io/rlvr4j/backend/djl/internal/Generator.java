package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.Qwen2Config;
import io.rlvr4j.api.math.TokenChooser;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Batched autoregressive decoding with a key/value cache.
 *
 * <p>Prompts are left-padded to a common length; a padded row's positions are
 * {@code cumsum(mask) - 1} and its padding slots are masked out of attention, so it computes what
 * the unpadded prompt would. One prefill pass fills the cache; then each step feeds one token per
 * unfinished row. Rows that finish (a stop token, or {@code maxNewTokens}) are dropped from the batch
 * once a quarter of it is finished, so finished rows stop costing compute.
 *
 * <p>Token choice happens in Java ({@link TokenChooser}) with one {@link SplittableRandom} per prompt,
 * seeded from {@code params.seed()} and the prompt's index in the request: the same seed, prompts and
 * weights give the same output, independently of how prompts are batched.
 */
final class Generator {

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
        int vocab = model.config().vocabSize();
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p == null || p.length == 0) throw new IllegalArgumentException("prompt " + i + " is empty: generation needs at least one token");
            Batches.checkTokens("prompt " + i, p, vocab);
        }
        Generation[] out = new Generation[prompts.size()];
        // chunk by length so that padding stays small; the per-prompt generators make the result independent of chunking
        Integer[] order = IntStream.range(0, prompts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length));
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            for (int from = 0; from < order.length; from += batchRows) {
                int[] rows = new int[Math.min(batchRows, order.length - from)];
                for (int j = 0; j < rows.length; j++) rows[j] = order[from + j];
                generateChunk(prompts, rows, params, tokenizer, out);
            }
        }
        return List.of(out);
    }

    private void generateChunk(List<int[]> prompts, int[] rows, SamplingParams params, Tokenizer tokenizer, Generation[] out) {
        Qwen2Config c = model.config();
        NDManager m = model.manager();
        int vocab = c.vocabSize();
        int n = rows.length;
        int promptWidth = 0;
        for (int r : rows) promptWidth = Math.max(promptWidth, prompts.get(r).length);
        int maxNew = params.maxNewTokens();
        int capacity = promptWidth + maxNew;
        model.ensureRope(capacity + 1);

        int[][] tokens = new int[n][maxNew];
        float[][] logProbs = new float[n][maxNew];
        int[] produced = new int[n];
        boolean[] stopped = new boolean[n];
        SplittableRandom[] rngs = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rngs[i] = new SplittableRandom(TokenChooser.streamSeed(params.seed(), rows[i]));
        TokenChooser chooser = new TokenChooser(params, vocab);
        float[] lp = new float[1];

        // prefill: left padding, positions cumsum(mask) - 1, causal bias that also hides padding keys
        long[] ids = new long[n * promptWidth];
        long[] positions = new long[n * promptWidth];
        int[] pad = new int[n];
        boolean padded = false;
        for (int i = 0; i < n; i++) {
            int[] p = prompts.get(rows[i]);
            pad[i] = promptWidth - p.length;
            padded |= pad[i] > 0;
            for (int j = 0; j < p.length; j++) {
                ids[i * promptWidth + pad[i] + j] = p[j];
                positions[i * promptWidth + pad[i] + j] = j;
            }
        }
        float[] causal = new float[promptWidth * promptWidth];
        for (int q = 0; q < promptWidth; q++) for (int k = q + 1; k < promptWidth; k++) causal[q * promptWidth + k] = Qwen2Model.MASKED;
        // decode-time bias over all cache slots: padding slots masked; null when no row is padded
        NDArray stepBias = null;
        int[] slotRow = IntStream.range(0, n).toArray(); // batch slot -> chunk row
        try (NDScope _ = new NDScope(); KvCache cache = new KvCache(m, c.numLayers(), n, c.numKvHeads(), capacity, c.headDim())) {
            if (padded) {
                float[] b = new float[n * capacity];
                for (int i = 0; i < n; i++) for (int k = 0; k < pad[i]; k++) b[i * capacity + k] = Qwen2Model.MASKED;
                stepBias = m.create(b, new Shape(n, 1, 1, 1, capacity));
            }
            float[] logits;
            try (NDScope _ = new NDScope()) {
                // causal [1, 1, 1, W, W] plus, for padded rows, the padding keys [n, 1, 1, 1, W]
                NDArray bias = m.create(causal, new Shape(1, 1, 1, promptWidth, promptWidth));
                if (stepBias != null) bias = bias.add(Ops.slice(stepBias, new long[] {0, 0, 0, 0, 0}, new long[] {n, 1, 1, 1, promptWidth}));
                NDArray h = model.hidden(m.create(ids, new Shape(n, promptWidth)), m.create(positions, new Shape(n, promptWidth)), bias, cache, 0);
                NDArray last = Ops.slice(h, new long[] {0, promptWidth - 1, 0}, new long[] {n, promptWidth, c.hiddenSize()});
                logits = model.logits(last).toFloatArray();
            }
            for (int s = 0; ; s++) {
                int live = 0;
                long[] next = new long[slotRow.length];
                long[] pos = new long[slotRow.length];
                for (int slot = 0; slot < slotRow.length; slot++) {
                    int i = slotRow[slot];
                    if (stopped[i] || produced[i] == maxNew) continue;
                    int tok = chooser.choose(logits, slot * vocab, rngs[i], lp);
                    tokens[i][produced[i]] = tok;
                    logProbs[i][produced[i]] = lp[0];
                    produced[i]++;
                    if (params.stopTokens().contains(tok)) stopped[i] = true;
                    if (!stopped[i] && produced[i] < maxNew) live++;
                    next[slot] = tok;
                    pos[slot] = prompts.get(rows[i]).length + produced[i] - 1;
                }
                if (live == 0) break;
                // compact the batch once a quarter of its rows are done
                if (live <= slotRow.length * 3 / 4) {
                    int[] keepSlots = new int[live];
                    int[] newSlotRow = new int[live];
                    int j = 0;
                    for (int slot = 0; slot < slotRow.length; slot++) {
                        int i = slotRow[slot];
                        if (!stopped[i] && produced[i] < maxNew) {
                            keepSlots[j] = slot;
                            newSlotRow[j++] = i;
                        }
                    }
                    long[] keepIdx = Arrays.stream(keepSlots).asLongStream().toArray();
                    NDArray keep = m.create(keepIdx);
                    cache.select(keep);
                    if (stepBias != null) {
                        NDArray kept = stepBias.get(new ai.djl.ndarray.index.NDIndex("{}", keep));
                        stepBias.close();
                        stepBias = kept;
                    }
                    long[] nextKept = new long[live];
                    long[] posKept = new long[live];
                    for (int k = 0; k < live; k++) {
                        nextKept[k] = next[keepSlots[k]];
                        posKept[k] = pos[keepSlots[k]];
                    }
                    next = nextKept;
                    pos = posKept;
                    slotRow = newSlotRow;
                    keep.close();
                }
                int b = slotRow.length;
                int slotIndex = promptWidth + s;
                try (NDScope _ = new NDScope()) {
                    NDArray bias = stepBias == null ? null
                            : Ops.slice(stepBias, new long[] {0, 0, 0, 0, 0}, new long[] {b, 1, 1, 1, slotIndex + 1});
                    NDArray h = model.hidden(m.create(next, new Shape(b, 1)), m.create(pos, new Shape(b, 1)), bias, cache, slotIndex);
                    logits = model.logits(h).toFloatArray();
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int[] t = Arrays.copyOf(tokens[i], produced[i]);
            float[] l = Arrays.copyOf(logProbs[i], produced[i]);
            Generation.FinishReason reason = stopped[i] ? Generation.FinishReason.STOP : Generation.FinishReason.LENGTH;
            out[rows[i]] = new Generation(prompts.get(rows[i]).clone(), t, l, tokenizer.decode(t), reason);
        }
    }
}
