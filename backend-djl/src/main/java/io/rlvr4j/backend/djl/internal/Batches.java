package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.backend.hf.DecodeLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Splitting token sequences into right-padded micro-batches, and validating token ids. */
final class Batches {

    private Batches() {
    }

    /** @throws IllegalArgumentException when an id of {@code tokens} is outside {@code [0, vocab)} */
    static void checkTokens(String what, int[] tokens, int vocab) {
        for (int j = 0; j < tokens.length; j++) {
            if (tokens[j] < 0 || tokens[j] >= vocab) {
                throw new IllegalArgumentException(what + " has token id " + tokens[j] + " at position " + j
                        + ", outside the model's vocabulary [0, " + vocab + ")");
            }
        }
    }

    /** @throws IllegalArgumentException when a sequence has a token outside the vocabulary */
    static void checkSequences(List<TokenSequence> sequences, int vocab) {
        for (int i = 0; i < sequences.size(); i++) checkTokens("sequence " + i, sequences.get(i).tokens(), vocab);
    }

    /**
     * Groups sequences into micro-batches of at most {@code size}, shortest first, so that each
     * holds sequences of similar length.
     */
    static List<MicroBatch> plan(List<TokenSequence> sequences, int size) {
        return plan(sequences, size, Integer.MAX_VALUE);
    }

    /**
     * Groups sequences into micro-batches of at most {@code size} sequences and at most {@code tokens}
     * padded tokens (rows times the longest sequence), shortest first, so that each holds sequences of
     * similar length; a sequence longer than {@code tokens} is a micro-batch of its own.
     */
    static List<MicroBatch> plan(List<TokenSequence> sequences, int size, int tokens) {
        Integer[] order = IntStream.range(0, sequences.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).tokens().length));
        List<MicroBatch> out = new ArrayList<>();
        int from = 0;
        while (from < order.length) {
            int to = from + 1;
            // shortest first: the candidate is the longest so far, so the padded size is rows times its length
            while (to < order.length && to - from < size && (long) (to - from + 1) * sequences.get(order[to]).tokens().length <= tokens) to++;
            int[] idx = new int[to - from];
            for (int j = 0; j < idx.length; j++) idx[j] = order[from + j];
            out.add(new MicroBatch(sequences, idx));
            from = to;
        }
        return out;
    }

    /**
     * Sequences padded on the right to a common width {@code T}, laid out for next-token prediction:
     * column {@code c} of a per-token matrix {@code [rows, columns]} is the prediction of token
     * {@code start + c + 1} from the states up to token {@code start + c}, where {@code start} is the
     * shortest prompt length minus one (earlier columns predict prompt tokens only and are skipped).
     * The response tokens of row {@code r} are the columns {@code [firstColumn[r], firstColumn[r] +
     * responseLength[r])}. Right padding needs no attention mask beyond causality: real tokens never
     * see the padding after them.
     */
    static final class MicroBatch {
        final int[] indices;
        final int rows;
        final int width;
        final int start;
        final int columns;
        final int[] firstColumn;
        final int[] responseLength;
        private final List<TokenSequence> sequences;

        MicroBatch(List<TokenSequence> sequences, int[] indices) {
            this.sequences = sequences;
            this.indices = indices;
            this.rows = indices.length;
            int w = 0;
            int minPrompt = Integer.MAX_VALUE;
            for (int i : indices) {
                w = Math.max(w, sequences.get(i).tokens().length);
                minPrompt = Math.min(minPrompt, sequences.get(i).promptLength());
            }
            this.width = w;
            this.start = minPrompt - 1;
            this.columns = w - 1 - start;
            this.firstColumn = new int[rows];
            this.responseLength = new int[rows];
            for (int r = 0; r < rows; r++) {
                TokenSequence s = sequences.get(indices[r]);
                firstColumn[r] = s.promptLength() - 1 - start;
                responseLength[r] = s.responseLength();
            }
        }

        /** {@return the number of response tokens in this micro-batch} */
        int tokenCount() {
            int n = 0;
            for (int l : responseLength) n += l;
            return n;
        }

        /** {@return the token ids {@code [rows, width]}, int64, padded with 0} */
        NDArray ids(NDManager m) {
            long[] ids = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                int[] t = sequences.get(indices[r]).tokens();
                for (int j = 0; j < t.length; j++) ids[r * width + j] = t[j];
            }
            return m.create(ids, new Shape(rows, width));
        }

        /** {@return the positions {@code [1, width]}, broadcast over rows} */
        NDArray positions(NDManager m) {
            long[] p = new long[width];
            for (int j = 0; j < width; j++) p[j] = j;
            return m.create(p, new Shape(1, width));
        }

        /** {@return the causal attention bias {@code [1, 1, 1, width, width]}} */
        NDArray causalBias(NDManager m) {
            float[] b = new float[width * width];
            for (int q = 0; q < width; q++) for (int k = q + 1; k < width; k++) b[q * width + k] = DecodeLoop.MASKED;
            return m.create(b, new Shape(1, 1, 1, width, width));
        }

        /** {@return the predicted tokens {@code [rows, columns, 1]}, int64 (0 past a row's end)} */
        NDArray targets(NDManager m) {
            long[] t = new long[rows * columns];
            for (int r = 0; r < rows; r++) {
                int[] tok = sequences.get(indices[r]).tokens();
                for (int c = 0; c < columns && start + c + 1 < tok.length; c++) t[r * columns + c] = tok[start + c + 1];
            }
            return m.create(t, new Shape(rows, columns, 1));
        }

        /** {@return the hidden states that predict the columns: {@code hidden[:, start:width-1, :]}} */
        NDArray predictingStates(NDArray hidden) {
            long h = hidden.getShape().get(2);
            return Ops.slice(hidden, new long[] {0, start, 0}, new long[] {rows, width - 1, h});
        }

        /** {@return per-token values {@code [rows * columns]}: {@code data[index][k]} at response token k, 0 elsewhere} */
        float[] perToken(float[][] data) {
            float[] out = new float[rows * columns];
            for (int r = 0; r < rows; r++) System.arraycopy(data[indices[r]], 0, out, r * columns + firstColumn[r], responseLength[r]);
            return out;
        }

        /** {@return per-token values: {@code perSequence[index]} at every response token, 0 elsewhere} */
        float[] perSequence(double[] perSequence) {
            float[] out = new float[rows * columns];
            for (int r = 0; r < rows; r++) Arrays.fill(out, r * columns + firstColumn[r], r * columns + firstColumn[r] + responseLength[r],
                    (float) perSequence[indices[r]]);
            return out;
        }

        /** {@return the response-token values of each row of a {@code [rows, columns]} host matrix} */
        float[][] responses(float[] host) {
            float[][] out = new float[rows][];
            for (int r = 0; r < rows; r++) out[r] = Arrays.copyOfRange(host, r * columns + firstColumn[r], r * columns + firstColumn[r] + responseLength[r]);
            return out;
        }

        /** {@return {@code values} {@code [rows * columns]} as an array {@code [rows, columns]}} */
        NDArray matrix(NDManager m, float[] values) {
            return m.create(values, new Shape(rows, columns));
        }
    }
}
