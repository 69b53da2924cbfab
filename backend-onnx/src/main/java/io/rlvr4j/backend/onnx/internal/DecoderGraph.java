package io.rlvr4j.backend.onnx.internal;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.rlvr4j.backend.hf.DecoderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph of a Hugging Face decoder of the families {@link DecoderConfig} reads (Qwen2, Qwen3,
 * Llama) with a key/value cache, written from its {@code config.json}: the same computation as
 * {@code transformers}' {@code Qwen2ForCausalLM}, {@code Qwen3ForCausalLM} and {@code LlamaForCausalLM}
 * (and the DJL backend) in float32.
 *
 * <p>Attention is ONNX Runtime's {@code GroupQueryAttention} ({@code com.microsoft} domain): one
 * node per layer that takes the packed q/k/v product, rotates queries and keys
 * ({@code transformers}' non-interleaved {@code rotate_half}), writes the new keys and values into
 * the cache and attends over it with the caller's additive bias. The cache is a fixed-capacity
 * buffer the caller owns: given as both {@code past_*} input and pinned {@code present_*} output, it
 * is extended in place, so a decoding step costs the new token's compute and nothing proportional
 * to the cache. One layer is 13 nodes instead of the ~45 of attention written in plain operators;
 * at the sizes RL trains on this machine, the per-node overhead, not arithmetic, is the cost.
 *
 * <p>Inputs: {@code input_ids} int64 {@code [batch, seq]}; {@code attention_bias} float
 * {@code [batch, 1, seq, total]} added to the scores (0 to attend, a large negative number to mask
 * padding); {@code seqlens_k} int32 {@code [batch]} ({@code total - 1} for every row) and
 * {@code total_sequence_length} int32 scalar, {@code total} being the filled slots plus {@code seq};
 * {@code cos_cache} and {@code sin_cache} float {@code [positions, head_dim / 2]}, the rotary tables
 * (the position of a token is its cache slot); and per layer {@code past_key.L} and
 * {@code past_value.L} float {@code [batch, kv_heads, capacity, head_dim]}. Outputs: {@code logits}
 * float {@code [batch, vocab]} at the last position (or {@code [batch, seq, vocab]} at every
 * position when the graph is written with {@code allPositions}), and {@code present_key.L},
 * {@code present_value.L}, the cache with the new tokens (shaped as the past). A graph of a prompt
 * is one with {@code seq == total}; a decoding step has {@code seq == 1}.
 *
 * <p>Qwen3's per-head RMSNorm of queries and keys comes before the operator's rotation: there the
 * product is split into q, k and v, the norms applied over each head ({@code [b, s, heads, head_dim]})
 * and the three given to the operator separately. Biases are added where the config has them
 * (Qwen2's q/k/v). Rotary tables come from the caller, so every {@code rope_scaling} of
 * {@link io.rlvr4j.backend.hf.Rope} is the graph's.
 *
 * <p>The operator needs {@code head_dim} to be a multiple of 16 ({@link #check}).
 *
 * <p>Weights are declared, not embedded, in the layout the graph multiplies by ({@link Initializer}):
 * a linear layer's Hugging Face {@code [out, in]} weight transposed to {@code [in, out]}, and the
 * layers that read the same input (q/k/v, gate/up) side by side, as the session is handed them.
 * ONNX Runtime then has nothing to fold: folding transposes and concatenations at session creation
 * held a second copy of every weight (measured on a Qwen2.5-0.5B-shaped model: 9.1 GB at the peak
 * of session creation instead of 6.1 GB without optimisations). Norms, biases and the embedding keep
 * their names and shapes; a tied head multiplies by the embedding with {@code Gemm(transB)} at the
 * last position. RMSNorm is written as the {@code x / sqrt(mean(x^2) + eps) * w} pattern that ONNX
 * Runtime fuses.
 */
final class DecoderGraph {

    private final DecoderConfig c;
    private final GraphWriter g;
    private final Map<String, long[]> weights = new LinkedHashMap<>();
    private final List<Initializer> initializers = new java.util.ArrayList<>();
    private String two;

    private DecoderGraph(DecoderConfig config) {
        this.c = config;
        this.g = new GraphWriter(config.modelType());
    }

    /**
     * The written graph, the Hugging Face tensors it is made from (by name, with their shapes) and the
     * initializers it declares, each made from some of those.
     */
    record Written(byte[] model, Map<String, long[]> weights, List<Initializer> initializers) {
    }

    /**
     * A weight of the graph, made from Hugging Face tensors: one of them as it is, or (with
     * {@code transposed}) linear layers' {@code [out_i, in]} weights transposed and side by side,
     * {@code [in, sum(out_i)]}; biases of such layers one after the other.
     */
    record Initializer(String name, long[] shape, List<String> sources, boolean transposed) {
    }

    /**
     * Checks that ONNX Runtime's attention operator takes the model's heads.
     *
     * @throws IllegalArgumentException if it does not, saying why
     */
    static void check(DecoderConfig config) {
        if (config.headDim() % 16 != 0) {
            throw new IllegalArgumentException("the ONNX rollout engine needs head_dim (hidden_size / num_attention_heads) to be a multiple of 16"
                    + " (ONNX Runtime's GroupQueryAttention with rotary embeddings); this model's is " + config.headDim()
                    + ": use rollout.engine: policy");
        }
    }

    /** {@return the graph of {@code config}}, with logits at the last position or at every position */
    static Written write(DecoderConfig config, boolean allPositions) {
        check(config);
        DecoderGraph q = new DecoderGraph(config);
        q.build(allPositions);
        return new Written(q.g.model(), Map.copyOf(q.weights), List.copyOf(q.initializers));
    }

    /** A Hugging Face tensor the graph uses as it is, under its name. */
    private String weight(String name, long... shape) {
        weights.put(name, shape);
        return declare(new Initializer(name, shape, List.of(name), false));
    }

    private String declare(Initializer i) {
        initializers.add(i);
        g.weight(i.name(), i.shape());
        return i.name();
    }

    private void build(boolean allPositions) {
        int d = c.headDim();
        int kv = c.numKvHeads();
        g.input("input_ids", DataType.INT64, "batch", "seq");
        g.input("attention_bias", DataType.FLOAT, "batch", 1, "seq", "total");
        g.input("seqlens_k", DataType.INT32, "batch");
        g.input("total_sequence_length", DataType.INT32);
        g.input("cos_cache", DataType.FLOAT, "positions", d / 2);
        g.input("sin_cache", DataType.FLOAT, "positions", d / 2);
        for (int l = 0; l < c.numLayers(); l++) {
            g.input("past_key." + l, DataType.FLOAT, "batch", kv, "capacity", d);
            g.input("past_value." + l, DataType.FLOAT, "batch", kv, "capacity", d);
        }
        String embed = weight("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize());
        String h = g.op("Gather", List.of(embed, "input_ids"), GraphWriter.integer("axis", 0));
        String eps = g.floatScalar((float) c.rmsNormEps());

        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            String x = rmsNorm(h, weight(p + "input_layernorm.weight", c.hiddenSize()), eps);
            // q, k and v as one product (ONNX Runtime folds the concatenation of the weights): the packed
            // [b, s, (heads + 2 kv_heads) d] input of GroupQueryAttention
            String qkv = fused(x, p + "self_attn.qkv_proj", List.of(p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"),
                    c.attentionBias());
            String query = qkv;
            String key = "";
            String value = "";
            if (c.qkNorm()) {
                query = "query_" + l;
                key = "key_" + l;
                value = "value_" + l;
                String q0 = query + "_raw";
                String k0 = key + "_raw";
                g.node("Split", List.of(qkv, g.int64s(c.queryWidth(), c.keyValueWidth(), c.keyValueWidth())), List.of(q0, k0, value),
                        GraphWriter.integer("axis", -1));
                g.opInto(query, "Reshape", List.of(rmsNorm(g.op("Reshape", List.of(q0, g.int64s(0, 0, c.numHeads(), d))),
                        weight(p + "self_attn.q_norm.weight", d), eps), g.int64s(0, 0, c.queryWidth())));
                g.opInto(key, "Reshape", List.of(rmsNorm(g.op("Reshape", List.of(k0, g.int64s(0, 0, kv, d))),
                        weight(p + "self_attn.k_norm.weight", d), eps), g.int64s(0, 0, c.keyValueWidth())));
            }
            String att = "attention_" + l;
            g.contribNode("GroupQueryAttention",
                    List.of(query, key, value, "past_key." + l, "past_value." + l, "seqlens_k", "total_sequence_length", "cos_cache", "sin_cache",
                            "", "attention_bias"),
                    List.of(att, "present_key." + l, "present_value." + l),
                    GraphWriter.integer("num_heads", c.numHeads()), GraphWriter.integer("kv_num_heads", kv),
                    GraphWriter.integer("do_rotary", 1), GraphWriter.integer("rotary_interleaved", 0));
            h = g.op("Add", List.of(h, linear(att, p + "self_attn.o_proj")));

            String y = rmsNorm(h, weight(p + "post_attention_layernorm.weight", c.hiddenSize()), eps);
            String gateUp = fused(y, p + "mlp.gate_up_proj", List.of(p + "mlp.gate_proj", p + "mlp.up_proj"), false);
            String gate = "gate_" + l;
            String up = "up_" + l;
            g.node("Split", List.of(gateUp, g.int64s(c.intermediateSize(), c.intermediateSize())), List.of(gate, up),
                    GraphWriter.integer("axis", -1));
            String act = g.op("Mul", List.of(g.op("Mul", List.of(gate, g.op("Sigmoid", List.of(gate)))), up));
            h = g.op("Add", List.of(h, linear(act, p + "mlp.down_proj")));
        }
        h = rmsNorm(h, weight("model.norm.weight", c.hiddenSize()), eps);
        if (!allPositions) h = g.op("Gather", List.of(h, g.int64Scalar(-1)), GraphWriter.integer("axis", 1)); // [b, hidden]
        if (!c.tieWordEmbeddings()) {
            g.opInto("logits", "MatMul", List.of(h, transposed("lm_head.weight_t", List.of("lm_head"))));
        } else if (!allPositions) {
            g.opInto("logits", "Gemm", List.of(h, embed), GraphWriter.integer("transB", 1)); // [b, hidden] x embed^T
        } else {
            g.opInto("logits", "MatMul", List.of(h, g.op("Transpose", List.of(embed), GraphWriter.ints("perm", 1, 0))));
        }

        if (allPositions) g.output("logits", DataType.FLOAT, "batch", "seq", c.vocabSize());
        else {
            g.output("logits", DataType.FLOAT, "batch", c.vocabSize());
            choice();
        }
        for (int l = 0; l < c.numLayers(); l++) {
            g.output("present_key." + l, DataType.FLOAT, "batch", kv, "capacity", d);
            g.output("present_value." + l, DataType.FLOAT, "batch", kv, "capacity", d);
        }
    }

    /**
     * The token choices of {@link io.rlvr4j.backend.hf.DecodeLoop.Pick} on the last position's logits, each
     * computed only when its outputs are asked for. Inputs {@code inverse_temperature} (float scalar),
     * {@code uniform} (float {@code [batch]}) and {@code candidates} (int64 {@code [1]}); outputs
     * {@code greedy_token}/{@code greedy_logprob}, {@code sampled_token}/{@code sampled_logprob},
     * {@code candidate_logits}/{@code candidate_ids} and {@code score_sum} ({@code sum(exp(z - max z))}).
     */
    private void choice() {
        g.input("inverse_temperature", DataType.FLOAT);
        g.input("uniform", DataType.FLOAT, "batch");
        g.input("candidates", DataType.INT64, 1);
        String axis1 = g.int64s(1);
        // greedy: the first largest logit; log-prob under softmax(logits)
        g.opInto("greedy_token", "ArgMax", List.of("logits"), GraphWriter.integer("axis", 1), GraphWriter.integer("keepdims", 0));
        String greedyMax = g.op("ReduceMax", List.of("logits"), GraphWriter.ints("axes", 1), GraphWriter.integer("keepdims", 1));
        String greedyLse = g.op("Add", List.of(greedyMax, g.op("Log", List.of(g.op("ReduceSum",
                List.of(g.op("Exp", List.of(g.op("Sub", List.of("logits", greedyMax)))), axis1), GraphWriter.integer("keepdims", 1))))));
        String greedyIndex = g.op("Unsqueeze", List.of("greedy_token", axis1));
        g.opInto("greedy_logprob", "Squeeze", List.of(g.op("Sub", List.of(g.op("GatherElements", List.of("logits", greedyIndex),
                GraphWriter.integer("axis", 1)), greedyLse)), axis1));
        // sampling: z = logits / T, w = exp(z - max z), the first id whose cumulative w exceeds u * sum(w)
        String z = g.op("Mul", List.of("logits", "inverse_temperature"));
        String max = g.op("ReduceMax", List.of(z), GraphWriter.ints("axes", 1), GraphWriter.integer("keepdims", 1));
        String w = g.op("Exp", List.of(g.op("Sub", List.of(z, max))));
        String sum = g.op("ReduceSum", List.of(w, axis1), GraphWriter.integer("keepdims", 1));
        g.opInto("score_sum", "Squeeze", List.of(sum, axis1));
        String cumulative = g.op("CumSum", List.of(w, g.int64Scalar(1)));
        String target = g.op("Mul", List.of(g.op("Unsqueeze", List.of("uniform", axis1)), sum));
        String below = g.op("ReduceSum", List.of(g.op("Cast", List.of(g.op("LessOrEqual", List.of(cumulative, target))),
                GraphWriter.integer("to", DataType.INT64.getNumber())), axis1), GraphWriter.integer("keepdims", 1));
        String argmax = g.op("ArgMax", List.of(z), GraphWriter.integer("axis", 1), GraphWriter.integer("keepdims", 1));
        String token = g.op("Where", List.of(g.op("Less", List.of(below, g.int64s(c.vocabSize()))), below, argmax)); // [b, 1]
        g.opInto("sampled_token", "Squeeze", List.of(token, axis1));
        String lse = g.op("Add", List.of(max, g.op("Log", List.of(sum))));
        g.opInto("sampled_logprob", "Squeeze", List.of(g.op("Sub", List.of(g.op("GatherElements", List.of(z, token),
                GraphWriter.integer("axis", 1)), lse)), axis1));
        // truncated sampling: the largest logits, sorted (ties by id), for the draw in Java
        g.node("TopK", List.of("logits", "candidates"), List.of("candidate_logits", "candidate_ids"), GraphWriter.integer("axis", 1),
                GraphWriter.integer("largest", 1), GraphWriter.integer("sorted", 1));
        g.output("greedy_token", DataType.INT64, "batch");
        g.output("greedy_logprob", DataType.FLOAT, "batch");
        g.output("sampled_token", DataType.INT64, "batch");
        g.output("sampled_logprob", DataType.FLOAT, "batch");
        g.output("candidate_logits", DataType.FLOAT, "batch", "k");
        g.output("candidate_ids", DataType.INT64, "batch", "k");
        g.output("score_sum", DataType.FLOAT, "batch");
    }

    /** {@code x W^T} for the Hugging Face linear layer {@code name} (no bias: o_proj, down_proj). */
    private String linear(String x, String name) {
        return g.op("MatMul", List.of(x, transposed(name + ".weight_t", List.of(name))));
    }

    /** Declares the weights of the linear layers {@code names} transposed and side by side, {@code [in, sum(out)]}, as {@code name}. */
    private String transposed(String name, List<String> names) {
        long in = inFeatures(names.getFirst());
        long out = 0;
        List<String> sources = new java.util.ArrayList<>();
        for (String layer : names) {
            weights.put(layer + ".weight", new long[] {outFeatures(layer), in});
            sources.add(layer + ".weight");
            out += outFeatures(layer);
        }
        return declare(new Initializer(name, new long[] {in, out}, sources, true));
    }

    private long outFeatures(String name) {
        if (name.endsWith("lm_head")) return c.vocabSize();
        if (name.endsWith("q_proj")) return (long) c.numHeads() * c.headDim();
        if (name.endsWith("k_proj") || name.endsWith("v_proj")) return (long) c.numKvHeads() * c.headDim();
        if (name.endsWith("gate_proj") || name.endsWith("up_proj")) return c.intermediateSize();
        return c.hiddenSize();
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

    /**
     * The Hugging Face linear layers {@code names} on the same input as one product, by the weight
     * {@code name} ({@link #transposed}) and, with {@code withBias}, their biases one after the other.
     */
    private String fused(String x, String name, List<String> names, boolean withBias) {
        String y = g.op("MatMul", List.of(x, transposed(name + "_t", names)));
        if (!withBias) return y;
        long out = 0;
        List<String> sources = new java.util.ArrayList<>();
        for (String layer : names) {
            weights.put(layer + ".bias", new long[] {outFeatures(layer)});
            sources.add(layer + ".bias");
            out += outFeatures(layer);
        }
        return g.op("Add", List.of(y, declare(new Initializer(name + "_bias", new long[] {out}, sources, false))));
    }
}
