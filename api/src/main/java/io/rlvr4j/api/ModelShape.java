package io.rlvr4j.api;

import java.util.List;

/**
 * The dimensions of a decoder-only transformer that cost models need (floating-point operations),
 * as {@link ModelFormat#shape} reads them from a model directory.
 *
 * @param parameters every parameter of the causal language model
 * @param vocabSize rows of the embedding and of the output head
 * @param hiddenSize the model width
 * @param layers decoder layers
 * @param queryWidth the width of all query heads together
 * @param keyValueWidth the width of all key (or value) heads together
 * @param intermediateSize the width of the gated MLP
 */
public record ModelShape(long parameters, int vocabSize, int hiddenSize, int layers, int queryWidth, int keyValueWidth,
                         int intermediateSize) {

    /**
     * A weight product {@code [tokens, in] x [in, out]} that every token goes through {@code count}
     * times.
     */
    public record Matmul(String name, int in, int out, int count) {

        /** {@return the multiply-adds of one token through it, twice: its floating-point operations} */
        public double flopsPerToken() {
            return 2.0 * in * out * count;
        }
    }

    /**
     * {@return the weight products of one token}, with the projections that read the same input fused
     * (query, key and value; gate and up), as engines run them: per layer {@code qkv}, {@code o},
     * {@code gate_up}, {@code down}, then the output head {@code lm_head}
     */
    public List<Matmul> matmuls() {
        return List.of(new Matmul("qkv", hiddenSize, queryWidth + 2 * keyValueWidth, layers), new Matmul("o", queryWidth, hiddenSize, layers),
                new Matmul("gate_up", hiddenSize, 2 * intermediateSize, layers), new Matmul("down", intermediateSize, hiddenSize, layers),
                new Matmul("lm_head", hiddenSize, vocabSize, 1));
    }

    /** {@return the floating-point operations of one token's weight products}: twice the weights it multiplies */
    public double matmulFlopsPerToken() {
        return matmuls().stream().mapToDouble(Matmul::flopsPerToken).sum();
    }
}
