package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.math.TokenChooser;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Batched autoregressive decoding on an {@link OnnxDecoder}, with the semantics of the DJL engine's
 * generator, so that both engines give the same tokens from the same logits and seed.
 *
 * <p>Prompts are sorted by length and decoded in chunks of at most {@code batchRows}, left-padded to
 * a common length; a padded row's positions are {@code cumsum(mask) - 1} and its padding slots are
 * masked out of attention. One prefill run fills the cache; then each run feeds one token per
 * unfinished row. Once a quarter of the rows are finished, the batch is compacted. Tokens are chosen
 * in Java ({@link TokenChooser}) with one random stream per prompt,
 * {@link TokenChooser#streamSeed}{@code (params.seed(), index in the request)}.
 */
final class OnnxGenerator {

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
        int vocab = decoder.config().vocabSize();
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p == null || p.length == 0) throw new IllegalArgumentException("prompt " + i + " is empty: generation needs at least one token");
            for (int t : p) {
                if (t < 0 || t >= vocab) throw new IllegalArgumentException("prompt " + i + " has token id " + t + " outside the vocabulary [0, " + vocab + ")");
            }
        }
        Generation[] out = new Generation[prompts.size()];
        Integer[] order = IntStream.range(0, prompts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length));
        for (int from = 0; from < order.length; from += batchRows) {
            int[] rows = new int[Math.min(batchRows, order.length - from)];
            for (int j = 0; j < rows.length; j++) rows[j] = order[from + j];
            generateChunk(prompts, rows, params, tokenizer, out);
        }
        return List.of(out);
    }

    private void generateChunk(List<int[]> prompts, int[] rows, SamplingParams params, Tokenizer tokenizer, Generation[] out) {
        int vocab = decoder.config().vocabSize();
        int n = rows.length;
        int width = 0;
        for (int r : rows) width = Math.max(width, prompts.get(r).length);
        int maxNew = params.maxNewTokens();
        int[][] tokens = new int[n][maxNew];
        float[][] logProbs = new float[n][maxNew];
        int[] produced = new int[n];
        boolean[] stopped = new boolean[n];
        SplittableRandom[] rngs = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rngs[i] = new SplittableRandom(TokenChooser.streamSeed(params.seed(), rows[i]));
        TokenChooser chooser = new TokenChooser(params, vocab);
        float[] lp = new float[1];

        long[] ids = new long[n * width];
        long[] positions = new long[n * width];
        int[] pad = new int[n];
        for (int i = 0; i < n; i++) {
            int[] p = prompts.get(rows[i]);
            pad[i] = width - p.length;
            for (int j = 0; j < p.length; j++) {
                ids[i * width + pad[i] + j] = p[j];
                positions[i * width + pad[i] + j] = j;
            }
        }
        int capacity = width + maxNew;
        // prefill: the cache is empty (every slot masked); among the prompt tokens, causal and padding masks
        float[] bias = new float[n * width * (capacity + width)];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < width; q++) {
                int row = (i * width + q) * (capacity + width);
                Arrays.fill(bias, row, row + capacity, MASKED);
                for (int k = 0; k < width; k++) bias[row + capacity + k] = k > q || k < pad[i] ? MASKED : 0;
            }
        }
        int[] slotRow = IntStream.range(0, n).toArray(); // batch slot -> chunk row
        OnnxDecoder.KvCache cache = new OnnxDecoder.KvCache(decoder.config(), n, capacity);
        try {
            float[] logits = decoder.run(ids, positions, bias, n, width, cache, rope);
            while (true) {
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
                    OnnxDecoder.KvCache kept = cache.select(decoder.config(), keepSlots);
                    cache.close();
                    cache = kept;
                    long[] nextKept = new long[live];
                    long[] posKept = new long[live];
                    for (int k = 0; k < live; k++) {
                        nextKept[k] = next[keepSlots[k]];
                        posKept[k] = pos[keepSlots[k]];
                    }
                    next = nextKept;
                    pos = posKept;
                    slotRow = newSlotRow;
                }
                // one new token per row: it sees the filled, non-padding slots and itself
                int b = slotRow.length;
                float[] stepBias = new float[b * (capacity + 1)];
                for (int slot = 0; slot < b; slot++) {
                    int row = slot * (capacity + 1);
                    Arrays.fill(stepBias, row, row + pad[slotRow[slot]], MASKED);
                    Arrays.fill(stepBias, row + cache.length(), row + capacity, MASKED);
                }
                logits = decoder.run(next, pos, stepBias, b, 1, cache, rope);
            }
        } finally {
            cache.close();
        }
        for (int i = 0; i < n; i++) {
            int[] t = Arrays.copyOf(tokens[i], produced[i]);
            float[] l = Arrays.copyOf(logProbs[i], produced[i]);
            Generation.FinishReason reason = stopped[i] ? Generation.FinishReason.STOP : Generation.FinishReason.LENGTH;
            out[rows[i]] = new Generation(prompts.get(rows[i]).clone(), t, l, tokenizer.decode(t), reason);
        }
    }
}
