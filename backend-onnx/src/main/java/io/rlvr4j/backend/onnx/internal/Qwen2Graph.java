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
 * <p>Inputs: {@code input_ids} int64 {@code [batch, seq]}; {@code cos} and {@code sin} float
 * {@code [batch, seq, head_dim]}, the rotary tables at each token's position (computed in Java, see
 * {@link Rope}); {@code attention_bias} float {@code [batch, seq, past + seq]}, added to the attention
 * scores (0 to attend, a large negative number to mask: causality and left padding); and per layer
 * {@code past_key.L}, {@code past_value.L} float {@code [batch, kv_heads, past, head_dim]} ({@code past}
 * may be 0). Outputs: {@code logits} float {@code [batch, vocab]} at the last position (or
 * {@code [batch, seq, vocab]} at every position when the graph is written with {@code allPositions}),
 * and {@code present_key.L}, {@code present_value.L} {@code [batch, kv_heads, past + seq, head_dim]}.
 *
 * <p>Weights keep their Hugging Face names and shapes ({@code [out, in]} for linear layers, transposed
 * in the graph, which ONNX Runtime folds at session creation); they are declared, not embedded.
 * RMSNorm is written as the {@code x / sqrt(mean(x^2) + eps) * w} pattern that ONNX Runtime fuses.
 */
final class Qwen2Graph {

    private final Qwen2Config c;
    private final GraphWriter g = new GraphWriter("qwen2");
    private final Map<String, long[]> weights = new LinkedHashMap<>();

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
            g.input("past_key." + l, DataType.FLOAT, "batch", kv, "past", d);
            g.input("past_value." + l, DataType.FLOAT, "batch", kv, "past", d);
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
        String half = g.int64s(d / 2, d / 2);
        String qShape = g.int64s(0, 0, kv, group, d);
        String kvShape = g.int64s(0, 0, kv, d);
        String mergedShape = g.int64s(0, 0, (long) c.numHeads() * d);
        String eps = g.floatScalar((float) c.rmsNormEps());

        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            String x = rmsNorm(h, weight(p + "input_layernorm.weight", c.hiddenSize()), eps);
            String q = linear(x, p + "self_attn.q_proj", (long) c.numHeads() * d, true);
            String k = linear(x, p + "self_attn.k_proj", (long) kv * d, true);
            String v = linear(x, p + "self_attn.v_proj", (long) kv * d, true);
            // queries [b, kv, group, s, d]: each key/value head serves its group of query heads
            String q5 = g.op("Transpose", List.of(g.op("Reshape", List.of(q, qShape))), GraphWriter.ints("perm", 0, 2, 3, 1, 4));
            String k4 = g.op("Transpose", List.of(g.op("Reshape", List.of(k, kvShape))), GraphWriter.ints("perm", 0, 2, 1, 3));
            String v4 = g.op("Transpose", List.of(g.op("Reshape", List.of(v, kvShape))), GraphWriter.ints("perm", 0, 2, 1, 3));
            q5 = rotate(q5, cosQ, sinQ, half);
            k4 = rotate(k4, cosK, sinK, half);
            g.opInto("present_key." + l, "Concat", List.of("past_key." + l, k4), GraphWriter.integer("axis", 2));
            g.opInto("present_value." + l, "Concat", List.of("past_value." + l, v4), GraphWriter.integer("axis", 2));
            String kT = g.op("Unsqueeze", List.of(g.op("Transpose", List.of("present_key." + l), GraphWriter.ints("perm", 0, 1, 3, 2)),
                    g.int64s(2))); // [b, kv, 1, d, t]
            String scores = g.op("Add", List.of(g.op("Mul", List.of(g.op("MatMul", List.of(q5, kT)), scale)), bias));
            String probs = g.op("Softmax", List.of(scores), GraphWriter.integer("axis", -1));
            String att = g.op("MatMul", List.of(probs, g.op("Unsqueeze", List.of("present_value." + l, g.int64s(2))))); // [b, kv, g, s, d]
            String merged = g.op("Reshape", List.of(g.op("Transpose", List.of(att), GraphWriter.ints("perm", 0, 3, 1, 2, 4)), mergedShape));
            h = g.op("Add", List.of(h, linear(merged, p + "self_attn.o_proj", c.hiddenSize(), false)));

            String y = rmsNorm(h, weight(p + "post_attention_layernorm.weight", c.hiddenSize()), eps);
            String gate = linear(y, p + "mlp.gate_proj", c.intermediateSize(), false);
            String up = linear(y, p + "mlp.up_proj", c.intermediateSize(), false);
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
            g.output("present_key." + l, DataType.FLOAT, "batch", kv, "total", d);
            g.output("present_value." + l, DataType.FLOAT, "batch", kv, "total", d);
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
        String variance = g.op("ReduceMean", List.of(g.op("Mul", List.of(x, x))), GraphWriter.ints("axes", -1), GraphWriter.integer("keepdims", 1));
        String normed = g.op("Div", List.of(x, g.op("Sqrt", List.of(g.op("Add", List.of(variance, eps))))));
        return g.op("Mul", List.of(normed, w));
    }

    /** Rotary embedding, {@code transformers}' convention: {@code x cos + rotate_half(x) sin}. */
    private String rotate(String x, String cos, String sin, String halves) {
        String first = "split_" + x + "_a";
        String second = "split_" + x + "_b";
        g.node("Split", List.of(x, halves), List.of(first, second), GraphWriter.integer("axis", -1));
        String rotated = g.op("Concat", List.of(g.op("Neg", List.of(second)), first), GraphWriter.integer("axis", -1));
        return g.op("Add", List.of(g.op("Mul", List.of(x, cos)), g.op("Mul", List.of(rotated, sin))));
    }
}
