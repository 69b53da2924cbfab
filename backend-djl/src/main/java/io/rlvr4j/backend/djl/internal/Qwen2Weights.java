package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.Safetensors;
import io.rlvr4j.backend.hf.DecoderConfig;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.ConfigException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The parameters of a {@link Qwen2Model}: their Hugging Face names and shapes, loading from a
 * checkpoint, seeded initialisation, and copying in and out as {@link WeightTensor}s.
 */
final class Qwen2Weights {

    private Qwen2Weights() {
    }

    /** {@return the expected shape of every parameter, in Hugging Face order} */
    static LinkedHashMap<String, long[]> shapes(DecoderConfig c, boolean valueHead, boolean withLmHead) {
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = c.queryWidth();
        long kv = c.keyValueWidth();
        s.put(Qwen2Model.EMBED, new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "input_layernorm.weight", new long[] {h});
            s.put(p + "self_attn.q_proj.weight", new long[] {q, h});
            if (c.attentionBias()) s.put(p + "self_attn.q_proj.bias", new long[] {q});
            s.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            if (c.attentionBias()) s.put(p + "self_attn.k_proj.bias", new long[] {kv});
            s.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            if (c.attentionBias()) s.put(p + "self_attn.v_proj.bias", new long[] {kv});
            s.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            if (c.qkNorm()) {
                s.put(p + "self_attn.q_norm.weight", new long[] {c.headDim()});
                s.put(p + "self_attn.k_norm.weight", new long[] {c.headDim()});
            }
            s.put(p + "post_attention_layernorm.weight", new long[] {h});
            s.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), h});
            s.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), h});
            s.put(p + "mlp.down_proj.weight", new long[] {h, c.intermediateSize()});
        }
        s.put(Qwen2Model.NORM, new long[] {h});
        if (withLmHead && !c.tieWordEmbeddings()) s.put(Qwen2Model.LM_HEAD, new long[] {c.vocabSize(), h});
        if (valueHead) s.put(Qwen2Model.SCORE, new long[] {1, h});
        return s;
    }

    /**
     * Loads the checkpoint of {@code modelDir}. A critic ({@code valueHead}) takes {@code score.weight}
     * from the checkpoint when present and otherwise initialises it from {@code seed}; it may lack
     * {@code lm_head.weight} (then it has no log-probabilities).
     */
    static Qwen2Model load(DecoderConfig config, Path modelDir, Device device, boolean valueHead, long seed) {
        return load(config, modelDir, device, valueHead, seed, Safetensors.MAX_BUFFER_BYTES);
    }

    /** As {@link #load(DecoderConfig, Path, Device, boolean, long)}, tensors over {@code maxBufferBytes} read in row blocks. */
    static Qwen2Model load(DecoderConfig config, Path modelDir, Device device, boolean valueHead, long seed, long maxBufferBytes) {
        // every header first: a missing shard, a truncated file or a wrong shape is found before any tensor is read
        Map<String, Safetensors.TensorInfo> tensors = Safetensors.checkpointTensors(modelDir);
        boolean withLmHead = config.tieWordEmbeddings() || !valueHead || tensors.containsKey(Qwen2Model.LM_HEAD);
        LinkedHashMap<String, long[]> expected = shapes(config, valueHead, withLmHead);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Safetensors.TensorInfo got = tensors.get(e.getKey());
            if (got == null) {
                if (!e.getKey().equals(Qwen2Model.SCORE)) missing.add(e.getKey());
            } else if (!Arrays.equals(got.shape(), e.getValue())) {
                throw new ConfigException("", got.file() + ": tensor " + e.getKey() + " has shape " + Arrays.toString(got.shape())
                        + (e.getKey().equals(Qwen2Model.SCORE) ? "; a critic's value head must be " : " but config.json implies ")
                        + Arrays.toString(e.getValue()));
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("", modelDir + ": the checkpoint lacks " + missing.size() + " tensor(s) of the " + config.modelType() + " architecture: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + (missing.size() > 5 ? ", …" : ""));
        }
        Map<String, Safetensors.TensorInfo> used = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (expected.containsKey(name)) used.put(name, t);
        });
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        try {
            Map<String, NDArray> loaded = new HashMap<>();
            // each tensor becomes an array of PyTorch's own memory as it is read (on the CPU, DJL would keep the read buffer as
            // the array's storage, freed only when a garbage collection finds it after the model is closed); one too large
            // for a buffer is filled row block by row block
            Safetensors.read(used, new Safetensors.TensorSink() {
                @Override
                public void accept(String name, long[] shape, ByteBuffer data) {
                    try (NDArray read = create(manager, data, shape)) {
                        loaded.put(name, read.duplicate());
                    }
                }

                @Override
                public void acceptRows(String name, long[] shape, long firstRow, ByteBuffer data) {
                    NDArray whole = loaded.computeIfAbsent(name, n -> manager.zeros(new Shape(shape), DataType.FLOAT32));
                    long[] part = shape.clone();
                    part[0] = data.remaining() / 4 / (Arrays.stream(shape).skip(1).reduce(1, (x, y) -> x * y));
                    try (NDArray rows = create(manager, data, part)) {
                        whole.set(new NDIndex().addSliceDim(firstRow, firstRow + part[0]), rows);
                    }
                }
            }, maxBufferBytes);
            LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                NDArray a = loaded.get(e.getKey());
                if (a == null) a = create(manager, normal(e.getValue(), config.initializerRange(), seed, Qwen2Model.SCORE), e.getValue());
                params.put(e.getKey(), a);
            }
            return new Qwen2Model(config, manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Initialises fresh weights as {@code transformers} does: {@code normal(0, initializer_range)} for
     * embeddings and linear weights, zero biases, unit norm weights, deterministically from {@code seed}
     * (each tensor draws from its own generator seeded by {@code seed} and its name).
     */
    static Qwen2Model random(DecoderConfig config, Device device, boolean valueHead, long seed) {
        LinkedHashMap<String, long[]> expected = shapes(config, valueHead, true);
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        try {
            LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                String name = e.getKey();
                ByteBuffer b;
                if (name.endsWith("norm.weight")) {
                    b = filled(e.getValue(), 1f);
                } else if (name.endsWith(".bias")) {
                    b = filled(e.getValue(), 0f);
                } else {
                    b = normal(e.getValue(), config.initializerRange(), seed, name);
                }
                params.put(name, create(manager, b, e.getValue()));
            }
            return new Qwen2Model(config, manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray create(NDManager manager, ByteBuffer data, long[] shape) {
        return manager.create(data.order(ByteOrder.nativeOrder()), new Shape(shape), DataType.FLOAT32);
    }

    private static ByteBuffer filled(long[] shape, float value) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y));
        ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        FloatBuffer f = b.asFloatBuffer();
        for (int i = 0; i < n; i++) f.put(value);
        return b;
    }

    private static ByteBuffer normal(long[] shape, double std, long seed, String name) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y));
        ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        FloatBuffer f = b.asFloatBuffer();
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        for (int i = 0; i < n; i++) f.put((float) (rng.nextGaussian() * std));
        return b;
    }

    /** {@return every parameter as float32 host values} */
    static Map<String, WeightTensor> export(Qwen2Model model) {
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        try (ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) { // LoRA's merged weights, freed after
            for (Map.Entry<String, NDArray> e : model.effectiveParameters().entrySet()) {
                out.put(e.getKey(), new WeightTensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
            }
        }
        return out;
    }

    /**
     * Calls {@code borrower} with every parameter as {@link #export} names them: on the CPU, read-only
     * views of the parameters' own memory (valid while the model is open and unchanged: during the
     * call), elsewhere host copies.
     */
    static void lend(Qwen2Model model, java.util.function.Consumer<Map<String, WeightTensor>> borrower) {
        if (!model.device().equals(Device.cpu())) {
            borrower.accept(export(model));
            return;
        }
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        try (ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) { // LoRA's merged weights live through the call
            for (Map.Entry<String, NDArray> e : model.effectiveParameters().entrySet()) {
                NDArray p = e.getValue();
                if (p.getDataType() != DataType.FLOAT32) throw new IllegalStateException(e.getKey() + " is " + p.getDataType());
                // a parameter is a dense, contiguous CPU tensor: the direct buffer is its memory, not a copy
                FloatBuffer view = p.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().asReadOnlyBuffer();
                out.put(e.getKey(), new WeightTensor(p.getShape().getShape(), view));
            }
            borrower.accept(java.util.Collections.unmodifiableMap(out));
        }
    }

    /**
     * Copies {@code weights} into the parameters in place (keeping optimiser state). Every parameter
     * must be given with its shape, except the value head, which keeps its values when absent.
     *
     * @throws IllegalArgumentException naming unknown, missing or mis-shaped tensors; nothing is
     *     changed then
     */
    static void copyInto(Qwen2Model model, Map<String, WeightTensor> weights) {
        Map<String, NDArray> parameters = model.parameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, WeightTensor> e : weights.entrySet()) {
            NDArray p = parameters.get(e.getKey());
            if (p == null) {
                if (e.getKey().equals(Qwen2Model.LM_HEAD) && model.config().tieWordEmbeddings()) continue;
                problems.add("unknown tensor " + e.getKey());
            } else if (!Arrays.equals(p.getShape().getShape(), e.getValue().shape())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(e.getValue().shape()) + ", expected "
                        + Arrays.toString(p.getShape().getShape()));
            }
        }
        TreeSet<String> absent = new TreeSet<>(parameters.keySet());
        absent.removeAll(weights.keySet());
        absent.remove(Qwen2Model.SCORE);
        if (!absent.isEmpty()) problems.add("missing " + absent.size() + " tensor(s): " + String.join(", ", absent.stream().limit(5).toList()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load weights: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; …" : ""));
        }
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            for (Map.Entry<String, WeightTensor> e : weights.entrySet()) {
                NDArray p = parameters.get(e.getKey());
                if (p == null) continue;
                long[] shape = p.getShape().getShape();
                try (ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) { // one tensor's staging copy at a time
                    NDArray src = model.manager().create(e.getValue().data().duplicate(), new Shape(shape));
                    Ops.put(p, src, new long[shape.length], shape);
                }
            }
        }
    }
}
