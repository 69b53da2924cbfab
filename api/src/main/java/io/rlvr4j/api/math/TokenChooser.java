package io.rlvr4j.api.math;

import io.rlvr4j.api.SamplingParams;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token of one sequence from its logits, in Java, so that sampling is exactly
 * reproducible from a seed whatever the engine, device or batch composition.
 *
 * <p>With temperature {@code T > 0}: {@code p_i = softmax(logits / T)_i}; top-k keeps the k most
 * likely tokens, top-p then keeps the smallest prefix of the remaining tokens (most likely first)
 * whose probability reaches {@code top_p}; the token is drawn from the kept tokens in proportion to
 * {@code p_i}. Ties are ordered by token id. With {@code T = 0} the most likely token is taken (the
 * lowest id among equals). The reported log-probability is {@code log p_i} under the
 * temperature-scaled distribution before truncation ({@code T = 1} when greedy).
 *
 * <p>Not thread-safe: it keeps scratch arrays for one vocabulary.
 */
public final class TokenChooser {

    private final SamplingParams params;
    private final int vocab;
    private final double[] weights;
    private long[] order;

    public TokenChooser(SamplingParams params, int vocab) {
        this.params = params;
        this.vocab = vocab;
        this.weights = new double[vocab];
    }

    /**
     * Chooses a token from {@code logits[offset, offset + vocab)}.
     *
     * @param rng the sequence's own generator (unused when greedy)
     * @param logProb receives the chosen token's log-probability at index 0
     * @return the token id
     */
    public int choose(float[] logits, int offset, SplittableRandom rng, float[] logProb) {
        double invT = params.isGreedy() ? 1.0 : 1.0 / params.temperature();
        double max = Double.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int i = 0; i < vocab; i++) {
            double z = logits[offset + i] * invT;
            if (z > max) {
                max = z;
                argmax = i;
            }
        }
        if (Double.isNaN(max) || max == Double.NEGATIVE_INFINITY) {
            throw new IllegalStateException("the model produced no finite logit (NaN or -inf everywhere): the weights have diverged");
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            double w = Math.exp(logits[offset + i] * invT - max);
            weights[i] = w;
            sum += w;
        }
        double logZ = max + Math.log(sum);
        int token;
        if (params.isGreedy()) {
            token = argmax;
        } else if (!truncates()) {
            token = walk(rng.nextDouble() * sum, argmax);
        } else {
            token = truncated(sum, rng);
        }
        logProb[0] = (float) (logits[offset + token] * invT - logZ);
        return token;
    }

    /** {@return whether top-k or top-p leaves tokens out of the draw} */
    public boolean truncates() {
        return (params.topK() > 0 && params.topK() < vocab) || params.topP() < 1;
    }

    /** Draws by walking the cumulative weights in id order until {@code u}. */
    private int walk(double u, int fallback) {
        double c = 0;
        for (int i = 0; i < vocab; i++) {
            c += weights[i];
            if (u < c) return i;
        }
        return fallback; // rounding left u above the total: take the most likely token
    }

    private int truncated(double sum, SplittableRandom rng) {
        if (order == null) order = new long[vocab];
        // sort (weight, id) descending: key = float bits of the weight (monotone for non-negative floats), then reversed id
        for (int i = 0; i < vocab; i++) {
            order[i] = ((long) Float.floatToRawIntBits((float) weights[i]) << 32) | (vocab - 1 - i);
        }
        Arrays.sort(order);
        int limit = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        double target = params.topP() * sum;
        double kept = 0;
        int n = 0;
        while (n < limit) {
            int id = vocab - 1 - (int) order[vocab - 1 - n];
            kept += weights[id];
            n++;
            if (params.topP() < 1 && kept >= target) break;
        }
        double u = rng.nextDouble() * kept;
        double c = 0;
        for (int j = 0; j < n; j++) {
            int id = vocab - 1 - (int) order[vocab - 1 - j];
            c += weights[id];
            if (u < c) return id;
        }
        return vocab - 1 - (int) order[vocab - 1];
    }

    /**
     * Chooses a truncated ({@code top_k} or {@code top_p}) sample from a row's most likely tokens, as
     * {@link #choose} would from the whole row, where an engine found them on its device: the
     * {@code count} largest logits of the row, in descending order (ties by id), with their ids, and
     * the row's {@code sum} of {@code exp(logit / T - max)} over the whole vocabulary. The draw takes
     * one value of {@code rng}, as {@link #choose} does, but only when the candidates settle the
     * choice: when the kept tokens could reach beyond them (more than {@code count} kept by
     * {@code top_k}, or a {@code top_p} nucleus not reached within them), nothing is drawn and -1
     * says to choose from the whole row instead.
     *
     * @param logProb receives the chosen token's log-probability at index 0
     * @return the token id, or -1
     */
    public int chooseAmong(float[] logits, long[] ids, int offset, int count, double sum, SplittableRandom rng, float[] logProb) {
        if (params.isGreedy() || !truncates()) throw new IllegalStateException("only truncated sampling chooses among candidates");
        double invT = 1.0 / params.temperature();
        double max = logits[offset] * invT;
        int limit = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        double target = params.topP() * sum;
        double kept = 0;
        int n = 0;
        boolean reached = false;
        while (n < Math.min(limit, count)) {
            kept += Math.exp(logits[offset + n] * invT - max);
            n++;
            if (params.topP() < 1 && kept >= target) {
                reached = true;
                break;
            }
        }
        if (!reached && n < limit) return -1; // the kept tokens go on past the candidates
        double u = rng.nextDouble() * kept;
        double c = 0;
        int chosen = 0;
        for (int j = 0; j < n; j++) {
            c += Math.exp(logits[offset + j] * invT - max);
            if (u < c) {
                chosen = j;
                break;
            }
        }
        logProb[0] = (float) (logits[offset + chosen] * invT - (max + Math.log(sum)));
        return Math.toIntExact(ids[offset + chosen]);
    }

    /**
     * {@return the seed of the random stream of prompt {@code index} of a request seeded {@code seed}}
     * (SplitMix64's finaliser): every engine draws prompt {@code i}'s tokens from
     * {@code new SplittableRandom(streamSeed(params.seed(), i))}, so outputs do not depend on batching
     * or on the engine
     */
    public static long streamSeed(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
