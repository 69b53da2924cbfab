package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.RotaryTables;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder of the Qwen2, Qwen3 and Llama families ({@link DecoderConfig}) written with PyTorch
 * operations on parameter arrays of its own, named as in
 * Hugging Face {@code transformers} ({@code model.layers.N.self_attn.q_proj.weight} …).
 *
 * <p>Per layer, with {@code RMSNorm(x) = w * x / sqrt(mean(x^2) + eps)}:
 * <pre>
 *   h = x + o_proj(attention(rope(q_proj(RMSNorm(x))), rope(k_proj(…)), v_proj(…)))
 *   x = h + down_proj(silu(gate_proj(RMSNorm(h))) * up_proj(RMSNorm(h)))
 * </pre>
 * q/k/v projections carry biases in Qwen2 (and where {@code attention_bias} says so), {@code o_proj}
 * and the MLP do not; Qwen3 normalises each head's query and key with an RMSNorm of its own
 * ({@code self_attn.q_norm.weight}, {@code k_norm}) before the rotary embedding. Attention is grouped-query
 * ({@code num_key_value_heads} key/value heads, each shared by {@code num_attention_heads /
 * num_key_value_heads} query heads), scaled by {@code 1/sqrt(head_dim)}, with an additive bias that
 * masks future and padding keys. Rotary embeddings use the "rotate half" convention of
 * {@code transformers}: with {@code inv_freq_i = theta^(-2i/d)} and angles {@code p * inv_freq}
 * repeated twice, {@code rope(x) = x cos + rotate_half(x) sin}, {@code rotate_half([a, b]) = [-b, a]}
 * (computed as a product with a fixed signed permutation matrix). The output head is
 * {@code lm_head.weight}, or the embedding when {@code tie_word_embeddings}; a critic has, in addition,
 * a scalar value head {@code score.weight} on the final-norm hidden states (the naming of
 * {@code Qwen2ForTokenClassification}).
 *
 * <p>Owns its parameters (and their optimiser state through {@link #manager()}); not thread-safe.
 */
final class Qwen2Model implements AutoCloseable {

    static final String EMBED = "model.embed_tokens.weight";
    static final String NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String SCORE = "score.weight";

    private final DecoderConfig config;
    private final NDManager manager;
    private final LinkedHashMap<String, NDArray> parameters;
    private final Layer[] layers;
    private final NDArray embed;
    private final NDArray finalNorm;
    private final NDArray lmHead;
    private final NDArray score;
    private final NDArray rotateHalf;
    private final NDArray eps;
    private final NDArray attentionScale;
    private NDArray cosTable;
    private NDArray sinTable;
    private int ropeLength;
    private LoraAdapters adapters;

    /** The parameters of one decoder layer. */
    private record Layer(NDArray inputNorm, NDArray q, NDArray qBias, NDArray k, NDArray kBias, NDArray v, NDArray vBias,
                         NDArray qNorm, NDArray kNorm, NDArray o, NDArray postNorm, NDArray gate, NDArray up, NDArray down) {
    }

    /**
     * Wraps parameters created by {@link Qwen2Weights}, taking ownership of their {@code manager}.
     *
     * @param parameters every parameter under its Hugging Face name, as {@link Qwen2Weights#shapes} lists them
     */
    Qwen2Model(DecoderConfig config, NDManager manager, LinkedHashMap<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.layers = new Layer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            layers[i] = new Layer(parameters.get(p + "input_layernorm.weight"),
                    parameters.get(p + "self_attn.q_proj.weight"), parameters.get(p + "self_attn.q_proj.bias"),
                    parameters.get(p + "self_attn.k_proj.weight"), parameters.get(p + "self_attn.k_proj.bias"),
                    parameters.get(p + "self_attn.v_proj.weight"), parameters.get(p + "self_attn.v_proj.bias"),
                    parameters.get(p + "self_attn.q_norm.weight"), parameters.get(p + "self_attn.k_norm.weight"),
                    parameters.get(p + "self_attn.o_proj.weight"), parameters.get(p + "post_attention_layernorm.weight"),
                    parameters.get(p + "mlp.gate_proj.weight"), parameters.get(p + "mlp.up_proj.weight"),
                    parameters.get(p + "mlp.down_proj.weight"));
        }
        this.embed = parameters.get(EMBED);
        this.finalNorm = parameters.get(NORM);
        this.lmHead = config.tieWordEmbeddings() ? embed : parameters.get(LM_HEAD);
        this.score = parameters.get(SCORE);
        int d = config.headDim();
        float[] r = new float[d * d];
        int half = d / 2;
        for (int i = 0; i < half; i++) {
            r[(i + half) * d + i] = -1;   // out[i] = -x[i + half]
            r[i * d + i + half] = 1;      // out[i + half] = x[i]
        }
        this.rotateHalf = manager.create(r, new Shape(d, d));
        this.eps = manager.create((float) config.rmsNormEps());
        this.attentionScale = manager.create((float) (1.0 / Math.sqrt(d)));
        ai.djl.ndarray.NDScope.unregister(rotateHalf, eps, attentionScale);
        ensureRope(256);
    }

    // ---------------------------------------------------------------- accessors

    DecoderConfig config() {
        return config;
    }

    /** {@return the manager that owns the parameters; optimiser state belongs here too} */
    NDManager manager() {
        return manager;
    }

    Device device() {
        return manager.getDevice();
    }

    /** {@return every parameter under its Hugging Face name, in checkpoint order (unmodifiable)} */
    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** {@return the parameters a language-model loss reaches (all but the value head)} */
    List<NDArray> languageModelParameters() {
        List<NDArray> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) if (!e.getKey().equals(SCORE)) out.add(e.getValue());
        return out;
    }

    /** {@return the parameters a value loss reaches (all but the output head)} */
    List<NDArray> valueParameters() {
        List<NDArray> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) if (!e.getKey().equals(LM_HEAD)) out.add(e.getValue());
        return out;
    }

    boolean hasLanguageModelHead() {
        return lmHead != null;
    }

    boolean hasValueHead() {
        return score != null;
    }

    /** {@return the total number of parameter values} */
    long parameterCount() {
        long n = 0;
        for (NDArray p : parameters.values()) n += p.size();
        return n;
    }

    // ---------------------------------------------------------------- forward

    /**
     * Runs the decoder and {@return the final-norm hidden states {@code [B, T, hidden]}}.
     *
     * @param ids token ids {@code [B, T]}, int64
     * @param positions rotary positions {@code [B, T]} or {@code [1, T]} (broadcast), int64
     * @param bias additive attention bias {@code [B or 1, 1, 1, T, Tk]} (0 or {@link io.rlvr4j.backend.hf.DecodeLoop#MASKED}), or null for none
     * @param cache the key/value cache to write at slots {@code [start, start + T)} and attend over
     *     {@code [0, start + T)}, or null to attend over this call's keys only ({@code Tk = T})
     * @param start the cache slot of the first of these tokens
     */
    NDArray hidden(NDArray ids, NDArray positions, NDArray bias, KvCache cache, int start) {
        long[] is = ids.getShape().getShape();
        long batch = is[0];
        long t = is[1];
        int d = config.headDim();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int group = config.groupSize();
        long pb = positions.getShape().get(0);
        NDArray cos = Ops.embedding(positions, cosTable).reshape(pb, t, 1, d);
        NDArray sin = Ops.embedding(positions, sinTable).reshape(pb, t, 1, d);
        NDArray x = Ops.embedding(ids, embed);
        for (int l = 0; l < layers.length; l++) {
            Layer p = layers[l];
            NDArray h = rmsNorm(x, p.inputNorm());
            NDArray q = proj(h, p.q(), p.qBias()).reshape(batch, t, heads, d);
            NDArray k = proj(h, p.k(), p.kBias()).reshape(batch, t, kvHeads, d);
            if (p.qNorm() != null) { // Qwen3: an RMSNorm over each head's query and key, before the rotary embedding
                q = rmsNorm(q, p.qNorm());
                k = rmsNorm(k, p.kNorm());
            }
            q = rope(q, cos, sin).mul(attentionScale);
            k = rope(k, cos, sin).transpose(0, 2, 1, 3);
            NDArray v = proj(h, p.v(), p.vBias()).reshape(batch, t, kvHeads, d).transpose(0, 2, 1, 3);
            long tk = t;
            if (cache != null) {
                cache.write(l, k, v, start);
                tk = start + t;
                k = cache.keys(l, tk);
                v = cache.values(l, tk);
            }
            // grouped-query attention without copying keys: the query heads of one key/value head are stacked along time
            NDArray qg = q.transpose(0, 2, 1, 3).reshape(batch, kvHeads, group * t, d);
            NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2));
            if (bias != null) scores = scores.reshape(batch, kvHeads, group, t, tk).add(bias);
            NDArray probs = scores.softmax(-1).reshape(batch, kvHeads, group * t, tk);
            NDArray attn = probs.matMul(v).reshape(batch, heads, t, d).transpose(0, 2, 1, 3).reshape(batch, t, (long) heads * d);
            x = x.add(proj(attn, p.o(), null));
            h = rmsNorm(x, p.postNorm());
            NDArray gate = proj(h, p.gate(), null);
            NDArray act = gate.mul(Ops.sigmoid(gate)).mul(proj(h, p.up(), null));
            x = x.add(proj(act, p.down(), null));
        }
        return rmsNorm(x, finalNorm);
    }

    /** {@return a layer projection {@code x W^T + b}, with its LoRA adapter's update where it has one} */
    private NDArray proj(NDArray x, NDArray w, NDArray b) {
        return adapters == null ? Ops.linear(x, w, b) : adapters.linear(x, w, b);
    }

    /** Adds {@code adapters} to the projections they target (at most once). */
    void adapt(LoraAdapters adapters) {
        if (this.adapters != null) throw new IllegalStateException("the model has adapters already");
        this.adapters = adapters;
    }

    /**
     * {@return every parameter under its Hugging Face name as the model computes with it}: a weight with
     * a LoRA adapter merged ({@code W + (alpha / r) B A}, a new array of the innermost
     * {@link ai.djl.ndarray.NDScope}, made without a graph), the others themselves
     */
    Map<String, NDArray> effectiveParameters() {
        if (adapters == null) return parameters();
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            parameters.forEach((name, p) -> {
                NDArray merged = adapters.merged(p);
                out.put(name, merged != null ? merged : p);
            });
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@return the model's LoRA adapters, or null} */
    LoraAdapters adapters() {
        return adapters;
    }

    /** {@return the output logits {@code [..., vocab]} of final-norm hidden states} */
    NDArray logits(NDArray hidden) {
        if (lmHead == null) throw new UnsupportedOperationException("this critic was loaded without lm_head.weight: it has no token distribution");
        return Ops.linear(hidden, lmHead, null);
    }

    /** {@return the value head's output {@code [B, T]} of final-norm hidden states {@code [B, T, hidden]}} */
    NDArray values(NDArray hidden) {
        if (score == null) throw new UnsupportedOperationException("only a policy opened as CRITIC has a value head");
        long[] s = hidden.getShape().getShape();
        return Ops.linear(hidden, score, null).reshape(s[0], s[1]);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        int last = x.getShape().dimension() - 1;
        NDArray variance = x.square().mean(new int[] {last}, true);
        return x.div(variance.add(eps).sqrt()).mul(weight);
    }

    private NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }

    /**
     * Makes the rotary tables cover positions {@code [0, length)}. Angles follow {@code transformers}
     * in float32: {@code inv_freq_i = 1 / theta^(2i/d)}, {@code angle = float(p) * inv_freq_i}.
     */
    void ensureRope(int length) {
        config.rope().checkLength(length);
        if (length <= ropeLength) return;
        int n = Math.max(length, 2 * ropeLength);
        int d = config.headDim();
        RotaryTables tables = RotaryTables.of(config, n);
        float[] c = tables.cos();
        float[] s = tables.sin();
        NDArray newCos = manager.create(c, new Shape(n, d));
        NDArray newSin = manager.create(s, new Shape(n, d));
        ai.djl.ndarray.NDScope.unregister(newCos, newSin);
        if (cosTable != null) {
            cosTable.close();
            sinTable.close();
        }
        cosTable = newCos;
        sinTable = newSin;
        ropeLength = n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
