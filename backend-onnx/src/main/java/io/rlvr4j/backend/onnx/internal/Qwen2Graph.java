package io.rlvr4j.backend.onnx.internal;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.rlvr4j.backend.hf.Qwen2Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph of a Hugging Face Qwen2 decoder with a key/value cache, written from its
 * {@code config.json}: the same computation as {@code transformers}' {@code Qwen2ForCausalLM} (and
 * the DJL backend) in float32.
 *
 * <p>The cache is a fixed-capacity buffer the caller owns and updates: the graph reads it and
 * returns only the new tokens' keys and values, so a decoding step costs the new token's compute and
 * nothing proportional to the cache (no concatenation of the past). Attention is taken in two parts,
 * over the cache slots and over the new tokens, joined at the scores.
 *
 * <p>Inputs: {@code input_ids} int64 {@code [batch, seq]}; {@code cos} and {@code sin} float
 * {@code [batch, seq, head_dim]}, the rotary tables at each token's position (computed in Java, see
 * {@link Rope}); {@code attention_bias} float {@code [batch, seq, capacity + seq]}, added to the
 * attention scores (0 to attend, a large negative number to mask: empty and padding slots, and
 * causality among the new tokens); and per layer {@code past_key.L} float
 * {@code [batch, kv_heads, head_dim, capacity]} (keys stored transposed) and {@code past_value.L}
 * {@code [batch, kv_heads, capacity, head_dim]}. Outputs: {@code logits} float {@code [batch, vocab]}
 * at the last position (or {@code [batch, seq, vocab]} at every position when the graph is written
 * with {@code allPositions}), and {@code new_key.L}, {@code new_value.L}
 * {@code [batch, kv_heads, seq, head_dim]}, the rotated keys and the values of the new tokens.
 *
 * <p>Weights keep their Hugging Face names and shapes ({@code [out, in]} for linear layers, transposed
 * in the graph, which ONNX Runtime folds at session creation); they are declared, not embedded.
 * RMSNorm is written as the {@code x / sqrt(mean(x^2) + eps) * w} pattern that ONNX Runtime fuses.
 */
final class Qwen2Graph {

    private final Qwen2Config c;
    private final GraphWriter g = new GraphWriter("qwen2");
    private final Map<String, long[]> weights = new LinkedHashMap<>();
    private String two;

    private Qwen2Graph(Qwen2Config config) {
        this.c = config;
    }

    /** The written graph and the weights it expects, by Hugging Face name, with their shapes. */
    record Written(byte[] model, Map<String, long[]> weights) {
    }

    /** {@return the graph of {@code config}}, with logits at the last position or at every position */
    static Written write(Qwen2Config config, boolean allPositions) {
        Qwen2Graph q = new Qwen2Graph(config);
        q.build(allPositions);
        return new Written(q.g.model(), Map.copyOf(q.weights));
    }

    private String weight(String name, long... shape) {
        weights.put(name, shape);
        g.weight(name, shape);
        return name;
    }

    private void build(boolean allPositions) {
        int d = c.headDim();
        int kv = c.numKvHeads();
        int group = c.numHeads() / kv;
        g.input("input_ids", DataType.INT64, "batch", "seq");
        g.input("cos", DataType.FLOAT, "batch", "seq", d);
        g.input("sin", DataType.FLOAT, "batch", "seq", d);
        g.input("attention_bias", DataType.FLOAT, "batch", "seq", "total");
        for (int l = 0; l < c.numLayers(); l++) {
            g.input("past_key." + l, DataType.FLOAT, "batch", kv, d, "capacity");
            g.input("past_value." + l, DataType.FLOAT, "batch", kv, "capacity", d);
        }
        String embed = weight("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize());
        String h = g.op("Gather", List.of(embed, "input_ids"), GraphWriter.integer("axis", 0));

        // shared per-call tensors: rotary tables broadcast to [b, 1, s, d] (keys) and [b, 1, 1, s, d] (queries)
        String cosK = g.op("Unsqueeze", List.of("cos", g.int64s(1)));
        String sinK = g.op("Unsqueeze", List.of("sin", g.int64s(1)));
        String cosQ = g.op("Unsqueeze", List.of("cos", g.int64s(1, 2)));
        String sinQ = g.op("Unsqueeze", List.of("sin", g.int64s(1, 2)));
        String bias = g.op("Unsqueeze", List.of("attention_bias", g.int64s(1, 2))); // [b, 1, 1, s, t]
        String scale = g.floatScalar((float) (1.0 / Math.sqrt(d)));
        // rotate_half(x) = x R: R maps the second half to the first, negated, and the first to the second
        float[] r = new float[d * d];
        for (int i = 0; i < d / 2; i++) {
            r[(i + d / 2) * d + i] = -1;
            r[i * d + i + d / 2] = 1;
        }
        String rotation = g.floats(r, d, d);
        String capacity = g.op("Slice", List.of(g.op("Shape", List.of("past_value.0")), g.int64s(2), g.int64s(3))); // [capacity]
        String seqLength = g.op("Slice", List.of(g.op("Shape", List.of("input_ids")), g.int64s(1), g.int64s(2))); // [seq]
        String parts = g.op("Concat", List.of(capacity, seqLength), GraphWriter.integer("axis", 0));
        String qShape = g.int64s(0, 0, kv, group, d);
        String kvShape = g.int64s(0, 0, kv, d);
        String mergedShape = g.int64s(0, 0, (long) c.numHeads() * d);
        // [b, kv, g, s, x] -> [b, kv, g*s, x], for x = d (queries) and x = capacity + s (attention probabilities)
        String queryRows = g.int64s(0, 0, -1, d);
        String probRows = g.op("Concat", List.of(g.int64s(0, 0, -1), g.op("Add", List.of(capacity, seqLength))),
                GraphWriter.integer("axis", 0));
        String groupShape = g.op("Concat", List.of(g.int64s(0, 0, group), seqLength, g.int64s(-1)), GraphWriter.integer("axis", 0));
        String eps = g.floatScalar((float) c.rmsNormEps());

        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            String x = rmsNorm(h, weight(p + "input_layernorm.weight", c.hiddenSize()), eps);
            // one product for q, k and v (ONNX Runtime folds the concatenation of the weights), then split
            long qWidth = (long) c.numHeads() * d;
            long kvWidth = (long) kv * d;
            String[] qkv = fused(x, List.of(p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"),
                    new long[] {qWidth, kvWidth, kvWidth}, true);
            String q = qkv[0];
            String k = qkv[1];
            String v = qkv[2];
            // queries [b, kv, group, s, d]: each key/value head serves its group of query heads
            String q5 = g.op("Transpose", List.of(g.op("Reshape", List.of(q, qShape))), GraphWriter.ints("perm", 0, 2, 3, 1, 4));
            String k4 = g.op("Transpose", List.of(g.op("Reshape", List.of(k, kvShape))), GraphWriter.ints("perm", 0, 2, 1, 3));
            String v4 = g.op("Transpose", List.of(g.op("Reshape", List.of(v, kvShape))), GraphWriter.ints("perm", 0, 2, 1, 3));
            q5 = rotate(q5, cosQ, sinQ, rotation);
            k4 = rotate(k4, cosK, sinK, rotation);
            g.opInto("new_key." + l, "Identity", List.of(k4));
            g.opInto("new_value." + l, "Identity", List.of(v4));
            // the group's queries as rows of one product per key/value head: [b, kv, group * s, d], so each
            // (row, head) pair is one small matrix product instead of one per query head
            String rows = g.op("Reshape", List.of(q5, queryRows));
            String pastScores = g.op("MatMul", List.of(rows, "past_key." + l)); // [b, kv, g*s, capacity]
            String newScores = g.op("MatMul", List.of(rows, g.op("Transpose", List.of(k4), GraphWriter.ints("perm", 0, 1, 3, 2))));
            // bias and softmax per query head: [b, kv, g, s, capacity + s]
            String joined = g.op("Reshape", List.of(g.op("Concat", List.of(pastScores, newScores), GraphWriter.integer("axis", -1)), groupShape));
            String scores = g.op("Add", List.of(g.op("Mul", List.of(joined, scale)), bias));
            String probs = g.op("Reshape", List.of(g.op("Softmax", List.of(scores), GraphWriter.integer("axis", -1)), probRows));
            String pastProbs = "probs_past_" + l;
            String newProbs = "probs_new_" + l;
            g.node("Split", List.of(probs, parts), List.of(pastProbs, newProbs), GraphWriter.integer("axis", -1));
            String att = g.op("Reshape", List.of(g.op("Add", List.of(
                    g.op("MatMul", List.of(pastProbs, "past_value." + l)),
                    g.op("MatMul", List.of(newProbs, v4)))), groupShape)); // [b, kv, g, s, d]
            String merged = g.op("Reshape", List.of(g.op("Transpose", List.of(att), GraphWriter.ints("perm", 0, 3, 1, 2, 4)), mergedShape));
            h = g.op("Add", List.of(h, linear(merged, p + "self_attn.o_proj", c.hiddenSize(), false)));

            String y = rmsNorm(h, weight(p + "post_attention_layernorm.weight", c.hiddenSize()), eps);
            String[] gateUp = fused(y, List.of(p + "mlp.gate_proj", p + "mlp.up_proj"),
                    new long[] {c.intermediateSize(), c.intermediateSize()}, false);
            String gate = gateUp[0];
            String up = gateUp[1];
            String act = g.op("Mul", List.of(g.op("Mul", List.of(gate, g.op("Sigmoid", List.of(gate)))), up));
            h = g.op("Add", List.of(h, linear(act, p + "mlp.down_proj", c.hiddenSize(), false)));
        }
        h = rmsNorm(h, weight("model.norm.weight", c.hiddenSize()), eps);
        if (!allPositions) h = g.op("Gather", List.of(h, g.int64Scalar(-1)), GraphWriter.integer("axis", 1)); // [b, hidden]
        String head = c.tieWordEmbeddings() ? embed : weight("lm_head.weight", c.vocabSize(), c.hiddenSize());
        g.opInto("logits", "MatMul", List.of(h, g.op("Transpose", List.of(head), GraphWriter.ints("perm", 1, 0))));

        if (allPositions) g.output("logits", DataType.FLOAT, "batch", "seq", c.vocabSize());
        else g.output("logits", DataType.FLOAT, "batch", c.vocabSize());
        for (int l = 0; l < c.numLayers(); l++) {
            g.output("new_key." + l, DataType.FLOAT, "batch", kv, "seq", d);
            g.output("new_value." + l, DataType.FLOAT, "batch", kv, "seq", d);
        }
    }

    /** {@code x W^T (+ b)} for the Hugging Face linear layer {@code name} of {@code out} features. */
    private String linear(String x, String name, long out, boolean withBias) {
        String w = weight(name + ".weight", out, inFeatures(name));
        String y = g.op("MatMul", List.of(x, g.op("Transpose", List.of(w), GraphWriter.ints("perm", 1, 0))));
        return withBias ? g.op("Add", List.of(y, weight(name + ".bias", out))) : y;
    }

    private long inFeatures(String name) {
        if (name.endsWith("o_proj")) return (long) c.numHeads() * c.headDim();
        if (name.endsWith("down_proj")) return c.intermediateSize();
        return c.hiddenSize();
    }

    /** {@code x / sqrt(mean(x^2, last axis) + eps) * w} */
    private String rmsNorm(String x, String w, String eps) {
        if (two == null) two = g.floatScalar(2f);
        String variance = g.op("ReduceMean", List.of(g.op("Pow", List.of(x, two))), GraphWriter.ints("axes", -1),
                GraphWriter.integer("keepdims", 1));
        String normed = g.op("Div", List.of(x, g.op("Sqrt", List.of(g.op("Add", List.of(variance, eps))))));
        return g.op("Mul", List.of(normed, w));
    }

    /** Rotary embedding, {@code transformers}' convention: {@code x cos + rotate_half(x) sin}, {@code rotate_half(x) = x R}. */
    private String rotate(String x, String cos, String sin, String rotation) {
        String rotated = g.op("MatMul", List.of(x, rotation));
        return g.op("Add", List.of(g.op("Mul", List.of(x, cos)), g.op("Mul", List.of(rotated, sin))));
    }

    /**
     * The Hugging Face linear layers {@code names} on the same input as one product: their transposed
     * weights (and biases) concatenated, which ONNX Runtime folds into one constant, then split.
     */
    private String[] fused(String x, List<String> names, long[] widths, boolean withBias) {
        long in = inFeatures(names.getFirst());
        List<String> ws = new java.util.ArrayList<>();
        List<String> bs = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ws.add(g.op("Transpose", List.of(weight(names.get(i) + ".weight", widths[i], in)), GraphWriter.ints("perm", 1, 0)));
            if (withBias) bs.add(weight(names.get(i) + ".bias", widths[i]));
        }
        String y = g.op("MatMul", List.of(x, g.op("Concat", ws, GraphWriter.integer("axis", 1))));
        if (withBias) y = g.op("Add", List.of(y, g.op("Concat", bs, GraphWriter.integer("axis", 0))));
        String[] outs = new String[names.size()];
        for (int i = 0; i < outs.length; i++) outs[i] = "split_" + names.get(i);
        g.node("Split", List.of(y, g.int64s(widths)), List.of(outs), GraphWriter.integer("axis", -1));
        return outs;
    }
}
