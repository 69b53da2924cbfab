package io.rlvr4j.backend.hf;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.math.TokenChooser;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Batched autoregressive decoding with a key/value cache, the engine-free part that every rollout
 * engine shares, so that the same weights, prompts and seed give the same tokens on any engine.
 *
 * <p>Prompts are sorted by length and decoded in chunks of at most {@code batchRows}, left-padded to
 * a common width: a padded row's positions are {@code cumsum(mask) - 1} and its padding slots must be
 * masked out of attention by the engine. One prefill run fills the cache; then each run feeds one
 * token per unfinished row. Once a quarter of the rows are finished (a stop token, or
 * {@code maxNewTokens}), the batch is compacted, so finished rows stop costing compute. Tokens are
 * chosen by the rule of {@link TokenChooser} with one random stream per prompt,
 * {@link TokenChooser#streamSeed}{@code (params.seed(), index in the request)}: in Java from copied
 * logits below {@link #DEVICE_CHOICE_MIN_VOCAB} tokens, above it by the engine where the logits are
 * ({@link Pick}), which returns ids and log-probs (or, for top-k/top-p, the few largest logits the
 * Java draw needs) instead of a {@code [rows, vocab]} copy. The device computes in float32 where
 * {@link TokenChooser} computes in double: the two draw the same token except where a uniform falls
 * within rounding (about 1e-6 of the mass) of a boundary between two tokens.
 *
 * <p>A row also ends when its decoded output comes to contain one of the stop strings
 * ({@link SamplingParams#stopStrings()}), however the tokens split it: the tail of the output is
 * decoded after each token. Its tokens end with the one that completed the string; its text ends
 * before the string, or after it when {@link SamplingParams#keepStopString()}.
 */
public final class DecodeLoop {

    /**
     * The additive attention bias that removes a key (padding, a later token): finite, so that a row
     * with every key removed (a padding query) gives no NaN, and large enough to vanish in softmax.
     */
    public static final float MASKED = -1e9f;

    /**
     * The vocabulary from which tokens are chosen on the engine's device ({@link Pick}) instead of
     * from logits copied to Java: below it a row of logits is cheaper to copy than the extra
     * operations are to run (at a vocabulary of 100, a copy is 400 bytes).
     */
    public static final int DEVICE_CHOICE_MIN_VOCAB = 1024;

    /** The candidates asked for a {@code top_p} draw without {@code top_k}: enough for the nuclei of trained models. */
    public static final int NUCLEUS_CANDIDATES = 1024;

    /** Where tokens are chosen. */
    public enum Placement {
        /** on the device from {@link #DEVICE_CHOICE_MIN_VOCAB} tokens on, else in Java */
        AUTO,
        /** always on the device */
        DEVICE,
        /** always in Java, from the logits */
        JAVA
    }

    /**
     * What a step is to return about the scores {@code z = logits / T} of its last position, per row.
     * The engine computes it where the logits are, so that only ids and log-probs, not logits, come
     * back:
     * <ul>
     *   <li>{@link Kind#LOGITS}: the logits ({@link Scores#logits}).
     *   <li>{@link Kind#GREEDY}: the first index of the largest logit and its log-probability under
     *       {@code softmax(logits)} ({@link Scores#tokens}, {@link Scores#logProbs}).
     *   <li>{@link Kind#SAMPLE}: with {@code w = exp(z - max z)} and {@code c} its cumulative sum in id
     *       order, the first id whose {@code c} exceeds {@code uniforms[row] * sum(w)} (the largest
     *       logit's id if rounding leaves none), and its log-probability under {@code softmax(z)}: the
     *       draw of {@link TokenChooser#choose}, in the device's float arithmetic.
     *   <li>{@link Kind#TOP}: the {@code candidates} largest logits in descending order (ties by id)
     *       with their ids, and {@code sum(w)} ({@link Scores#candidateLogits}, {@link Scores#candidateIds},
     *       {@link Scores#sums}); and each row's logits on request ({@link Scores#row}), for the rows
     *       whose candidates do not settle a draw ({@link TokenChooser#chooseAmong}).
     * </ul>
     *
     * @param inverseTemperature {@code 1 / T} (1 for greedy)
     * @param uniforms {@link Kind#SAMPLE}: a value in [0, 1) per row (0 for rows that take no token)
     * @param candidates {@link Kind#TOP}: how many
     */
    public record Pick(Kind kind, float inverseTemperature, float[] uniforms, int candidates) {

        /** What is computed. */
        public enum Kind { LOGITS, GREEDY, SAMPLE, TOP }

        /** The logits. */
        public static final Pick LOGITS = new Pick(Kind.LOGITS, 1f, null, 0);
    }

    /**
     * A step's answer to its {@link Pick}; the arrays of the other kinds are null.
     *
     * @param logits {@link Pick.Kind#LOGITS}: row-major {@code [rows, vocab]}
     * @param tokens {@link Pick.Kind#GREEDY}, {@link Pick.Kind#SAMPLE}: the chosen id per row
     * @param logProbs their log-probabilities
     * @param candidateLogits {@link Pick.Kind#TOP}: {@code [rows, candidates]} logits, descending
     * @param candidateIds their ids
     * @param sums {@code sum(exp(z - max z))} per row, over the whole vocabulary
     * @param row {@link Pick.Kind#TOP}: a row's logits, valid until the next step
     */
    public record Scores(float[] logits, long[] tokens, float[] logProbs, float[] candidateLogits, long[] candidateIds, float[] sums,
                         IntFunction<float[]> row) {

        public static Scores ofLogits(float[] logits) {
            return new Scores(logits, null, null, null, null, null, null);
        }

        public static Scores ofTokens(long[] tokens, float[] logProbs) {
            return new Scores(null, tokens, logProbs, null, null, null, null);
        }

        public static Scores ofCandidates(float[] logits, long[] ids, float[] sums, IntFunction<float[]> row) {
            return new Scores(null, null, null, logits, ids, sums, row);
        }
    }

    /** An engine's side of one chunk: its model and cache. */
    public interface Decoder {

        /**
         * Starts a chunk: runs the left-padded prompts and {@return the chunk with what {@code pick}
         * asks of the last position's scores}.
         *
         * @param ids {@code [rows, width]} token ids, padding first (its ids are 0)
         * @param positions {@code [rows, width]} positions ({@code 0} on padding)
         * @param pad the padding slots of each row
         * @param capacity the cache slots the chunk needs: {@code width + maxNewTokens}
         */
        Prefill start(long[] ids, long[] positions, int[] pad, int width, int capacity, Pick pick);
    }

    /** A started chunk and its prompts' last-position {@link Scores}. */
    public record Prefill(Chunk chunk, Scores scores) {}

    /** A chunk being decoded: its cache holds the prompt, then one slot per step. */
    public interface Chunk extends AutoCloseable {

        /**
         * Runs one token per row after the filled slots and {@return what {@code pick} asks of its scores}.
         *
         * @param ids one token per current row
         * @param positions its position
         * @param pad the padding slots of each current row
         * @param filled the cache slots filled before this token (every row alike)
         */
        Scores step(long[] ids, long[] positions, int[] pad, int filled, Pick pick);

        /** Keeps only the rows {@code rows} (ascending) of the cache, in that order. */
        void keep(int[] rows);

        @Override
        void close();
    }

    private DecodeLoop() {}

    /**
     * Generates one continuation per prompt; see {@link io.rlvr4j.api.Sampler#generate}.
     *
     * @throws IllegalArgumentException for an empty prompt or a token outside {@code [0, vocab)}
     */
    public static List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer, int vocab, int batchRows,
                                            Decoder decoder) {
        return generate(prompts, params, tokenizer, vocab, batchRows, decoder, Placement.AUTO);
    }

    /** As {@link #generate(List, SamplingParams, Tokenizer, int, int, Decoder)}, choosing tokens where {@code placement} says. */
    public static List<Generation> generate(List<int[]> prompts, SamplingParams params, Tokenizer tokenizer, int vocab, int batchRows,
                                            Decoder decoder, Placement placement) {
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p == null || p.length == 0) throw new IllegalArgumentException("prompt " + i + " is empty: generation needs at least one token");
            for (int j = 0; j < p.length; j++) {
                if (p[j] < 0 || p[j] >= vocab) {
                    throw new IllegalArgumentException("prompt " + i + " has token id " + p[j] + " at position " + j
                            + ", outside the model's vocabulary [0, " + vocab + ")");
                }
            }
        }
        Generation[] out = new Generation[prompts.size()];
        // chunk by length so that padding stays small; the per-prompt streams make the result independent of chunking
        Integer[] order = IntStream.range(0, prompts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length));
        for (int from = 0; from < order.length; from += batchRows) {
            int[] rows = new int[Math.min(batchRows, order.length - from)];
            for (int j = 0; j < rows.length; j++) rows[j] = order[from + j];
            chunk(prompts, rows, params, tokenizer, vocab, decoder, out, placement);
        }
        return List.of(out);
    }

    private static void chunk(List<int[]> prompts, int[] rows, SamplingParams params, Tokenizer tokenizer, int vocab, Decoder decoder,
                              Generation[] out, Placement placement) {
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
        Pick.Kind kind = kind(params, chooser, vocab, placement);
        int stopWindow = stopWindow(params);
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
        int[] slotRow = IntStream.range(0, n).toArray(); // batch slot -> chunk row
        Prefill prefill = decoder.start(ids, positions, pad, width, width + maxNew, pick(kind, params, slotRow, rngs, stopped, produced, maxNew));
        Scores scores = prefill.scores();
        try (Chunk chunk = prefill.chunk()) {
            for (int s = 0; ; s++) {
                int live = 0;
                long[] next = new long[slotRow.length];
                long[] pos = new long[slotRow.length];
                for (int slot = 0; slot < slotRow.length; slot++) {
                    int i = slotRow[slot];
                    if (stopped[i] || produced[i] == maxNew) continue;
                    int tok = choose(kind, scores, slot, vocab, chooser, rngs[i], lp);
                    tokens[i][produced[i]] = tok;
                    logProbs[i][produced[i]] = lp[0];
                    produced[i]++;
                    if (params.stopTokens().contains(tok) || stopWindow > 0 && endsOnStopString(tokens[i], produced[i], stopWindow, params, tokenizer)) {
                        stopped[i] = true;
                    }
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
                    chunk.keep(keepSlots);
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
                int[] rowPad = new int[slotRow.length];
                for (int slot = 0; slot < slotRow.length; slot++) rowPad[slot] = pad[slotRow[slot]];
                scores = chunk.step(next, pos, rowPad, width + s, pick(kind, params, slotRow, rngs, stopped, produced, maxNew));
            }
        }
        for (int i = 0; i < n; i++) {
            int[] t = Arrays.copyOf(tokens[i], produced[i]);
            float[] l = Arrays.copyOf(logProbs[i], produced[i]);
            Generation.FinishReason reason = stopped[i] ? Generation.FinishReason.STOP : Generation.FinishReason.LENGTH;
            out[rows[i]] = new Generation(prompts.get(rows[i]).clone(), t, l, cutAtStopString(tokenizer.decode(t), params), reason);
        }
    }

    /** {@return what each step is asked for}: logits where tokens are chosen in Java, else the choice or its candidates */
    static Pick.Kind kind(SamplingParams params, TokenChooser chooser, int vocab, Placement placement) {
        boolean device = placement == Placement.DEVICE || placement == Placement.AUTO && vocab >= DEVICE_CHOICE_MIN_VOCAB;
        if (!device) return Pick.Kind.LOGITS;
        if (params.isGreedy()) return Pick.Kind.GREEDY;
        return chooser.truncates() ? Pick.Kind.TOP : Pick.Kind.SAMPLE;
    }

    /**
     * {@return the pick of the next step for the rows {@code slotRow}}; a {@link Pick.Kind#SAMPLE} draws
     * each unfinished row's next value of its stream now, one per token as {@link TokenChooser#choose} draws
     */
    private static Pick pick(Pick.Kind kind, SamplingParams params, int[] slotRow, SplittableRandom[] rngs, boolean[] stopped, int[] produced,
                             int maxNew) {
        float invT = params.isGreedy() ? 1f : (float) (1.0 / params.temperature());
        return switch (kind) {
            case LOGITS -> Pick.LOGITS;
            case GREEDY -> new Pick(kind, 1f, null, 0);
            case SAMPLE -> {
                float[] u = new float[slotRow.length];
                for (int slot = 0; slot < slotRow.length; slot++) {
                    int i = slotRow[slot];
                    if (!stopped[i] && produced[i] < maxNew) u[slot] = (float) rngs[i].nextDouble();
                }
                yield new Pick(kind, invT, u, 0);
            }
            case TOP -> new Pick(kind, invT, null, params.topK() > 0 ? params.topK() : NUCLEUS_CANDIDATES);
        };
    }

    /** {@return the token of batch slot {@code slot} from {@code scores}}, its log-prob in {@code lp[0]} */
    private static int choose(Pick.Kind kind, Scores scores, int slot, int vocab, TokenChooser chooser, SplittableRandom rng, float[] lp) {
        switch (kind) {
            case LOGITS -> {
                return chooser.choose(scores.logits(), slot * vocab, rng, lp);
            }
            case GREEDY, SAMPLE -> {
                lp[0] = scores.logProbs()[slot];
                return Math.toIntExact(scores.tokens()[slot]);
            }
            default -> {
                int count = scores.candidateLogits().length / scores.sums().length;
                int tok = chooser.chooseAmong(scores.candidateLogits(), scores.candidateIds(), slot * count, count, scores.sums()[slot], rng, lp);
                return tok >= 0 ? tok : chooser.choose(scores.row().apply(slot), 0, rng, lp);
            }
        }
    }

    /**
     * {@return how many trailing tokens are decoded to look for a stop string}: a string of {@code L}
     * characters is at most {@code 4L} UTF-8 bytes, so it lies within the last {@code 4L} tokens of
     * the output the moment the token that completes it arrives (plus one, for a token that decodes to
     * nothing); 0 when there are no stop strings
     */
    static int stopWindow(SamplingParams params) {
        int longest = 0;
        for (String stop : params.stopStrings()) longest = Math.max(longest, stop.length());
        return longest == 0 ? 0 : 4 * longest + 1;
    }

    /** {@return whether the decoded text of the last {@code window} of {@code produced} tokens contains a stop string} */
    private static boolean endsOnStopString(int[] tokens, int produced, int window, SamplingParams params, Tokenizer tokenizer) {
        String tail = tokenizer.decode(Arrays.copyOfRange(tokens, Math.max(0, produced - window), produced));
        for (String stop : params.stopStrings()) if (tail.contains(stop)) return true;
        return false;
    }

    /** {@return {@code text} ended at its first stop string: before it, or after it when the stop string is kept} */
    static String cutAtStopString(String text, SamplingParams params) {
        int at = -1;
        String found = null;
        for (String stop : params.stopStrings()) {
            int i = text.indexOf(stop);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                found = stop;
            }
        }
        if (found == null) return text;
        return text.substring(0, params.keepStopString() ? at + found.length() : at);
    }
}
