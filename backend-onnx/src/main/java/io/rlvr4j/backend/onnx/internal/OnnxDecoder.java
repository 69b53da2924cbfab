package io.rlvr4j.backend.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rlvr4j.backend.hf.Qwen2Config;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session of a {@link Qwen2Graph} and the weights it was created with.
 *
 * <p>The graph's weights are declared with external data; the values are handed to ONNX Runtime at
 * session creation ({@code addExternalInitializers}, which copies them before its optimisations,
 * so constant folding and weight prepacking still apply). New weights build a new session from the
 * same model bytes, and the old one is closed.
 *
 * <p>Not thread-safe.
 */
final class OnnxDecoder implements AutoCloseable {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final Qwen2Config config;
    private final Qwen2Graph.Written graph;
    private final int threads;
    private OrtSession session;

    /**
     * @param weights every tensor the graph declares, by Hugging Face name, as float32 values; null to
     *     create the session later, at the first {@link #load}
     * @param threads intra-op threads (spinning is turned off: the cores are shared with the trainer)
     */
    OnnxDecoder(Qwen2Config config, boolean allPositions, Map<String, float[]> weights, int threads) {
        this.config = config;
        this.graph = Qwen2Graph.write(config, allPositions);
        this.threads = threads;
        if (weights != null) load(weights);
    }

    Qwen2Config config() {
        return config;
    }

    /** {@return the tensors the graph needs, with their shapes} */
    Map<String, long[]> weightShapes() {
        return graph.weights();
    }

    /**
     * Builds a new session on {@code values} and closes the old one.
     *
     * @throws IllegalArgumentException naming a missing or mis-sized tensor; nothing changes then
     */
    void load(Map<String, float[]> values) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : graph.weights().entrySet()) {
            float[] v = values.get(e.getKey());
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (v == null) problems.add("missing " + e.getKey());
            else if (v.length != n) problems.add(e.getKey() + " has " + v.length + " values, expected " + Arrays.toString(e.getValue()));
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("weights do not fit the model: " + String.join("; ", problems));
        Map<String, OnnxTensor> fresh = new HashMap<>();
        OrtSession created;
        // the values are copied into the session: the buffers are freed once it exists
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            for (Map.Entry<String, long[]> e : graph.weights().entrySet()) {
                float[] v = values.get(e.getKey());
                FloatBuffer buf = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
                buf.put(v).flip();
                fresh.put(e.getKey(), OnnxTensor.createTensor(ENV, buf, e.getValue()));
            }
            options.addExternalInitializers(new HashMap<>(fresh));
            created = ENV.createSession(graph.model(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not create the decoder session: " + e.getMessage(), e);
        } finally {
            fresh.values().forEach(OnnxTensor::close);
        }
        closeSession();
        session = created;
    }

    /**
     * A fixed-capacity key/value cache in direct buffers that the session reads in place: per layer,
     * keys {@code [batch, kv_heads, head_dim, capacity]} (transposed, as the graph multiplies them)
     * and values {@code [batch, kv_heads, capacity, head_dim]}. Every row has the same number of
     * filled slots; rows that started shorter mask their padding slots through the attention bias.
     */
    static final class KvCache implements AutoCloseable {
        final int batch;
        final int capacity;
        private final int kv;
        private final int d;
        private final FloatBuffer[] keys;
        private final FloatBuffer[] values;
        private final OnnxTensor[] keyTensors;
        private final OnnxTensor[] valueTensors;
        private int length;

        KvCache(Qwen2Config c, int batch, int capacity) {
            this.batch = batch;
            this.capacity = capacity;
            this.kv = c.numKvHeads();
            this.d = c.headDim();
            int layers = c.numLayers();
            keys = new FloatBuffer[layers];
            values = new FloatBuffer[layers];
            keyTensors = new OnnxTensor[layers];
            valueTensors = new OnnxTensor[layers];
            int size = batch * kv * d * capacity;
            try {
                for (int l = 0; l < layers; l++) {
                    keys[l] = ByteBuffer.allocateDirect(4 * size).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    values[l] = ByteBuffer.allocateDirect(4 * size).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    keyTensors[l] = OnnxTensor.createTensor(ENV, keys[l], new long[] {batch, kv, d, capacity});
                    valueTensors[l] = OnnxTensor.createTensor(ENV, values[l], new long[] {batch, kv, capacity, d});
                }
            } catch (OrtException e) {
                close();
                throw new IllegalStateException("could not allocate the key/value cache: " + e.getMessage(), e);
            }
        }

        /** {@return the filled slots} */
        int length() {
            return length;
        }

        /** Writes the new keys and values {@code [batch, kv, seq, d]} of every layer into the next {@code seq} slots. */
        private void append(OrtSession.Result result, int seq) {
            if (length + seq > capacity) throw new IllegalStateException("the key/value cache is full: " + capacity + " slots");
            for (int l = 0; l < keys.length; l++) {
                float[] k = floats(result.get("new_key." + l).orElseThrow());
                float[] v = floats(result.get("new_value." + l).orElseThrow());
                for (int bh = 0; bh < batch * kv; bh++) {
                    for (int t = 0; t < seq; t++) {
                        int src = (bh * seq + t) * d;
                        int slot = length + t;
                        for (int j = 0; j < d; j++) keys[l].put((bh * d + j) * capacity + slot, k[src + j]);
                        values[l].put((bh * capacity + slot) * d, v, src, d);
                    }
                }
            }
            length += seq;
        }

        /** {@return a cache of the rows {@code rows} of this one} (copied; same capacity and length) */
        KvCache select(Qwen2Config c, int[] rows) {
            KvCache out = new KvCache(c, rows.length, capacity);
            int row = kv * d * capacity;
            for (int l = 0; l < keys.length; l++) {
                for (int i = 0; i < rows.length; i++) {
                    out.keys[l].put(i * row, keys[l], rows[i] * row, row);
                    out.values[l].put(i * row, values[l], rows[i] * row, row);
                }
            }
            out.length = length;
            return out;
        }

        @Override
        public void close() {
            for (OnnxTensor t : keyTensors) if (t != null) t.close();
            for (OnnxTensor t : valueTensors) if (t != null) t.close();
        }
    }

    /**
     * Runs {@code seq} tokens of {@code batch} rows after the cache's filled slots, writes their keys
     * and values into the cache, and {@return the logits} (row-major).
     *
     * @param ids {@code [batch, seq]} token ids
     * @param positions {@code [batch, seq]} rotary positions
     * @param bias {@code [batch, seq, capacity + seq]} additive attention bias over the cache slots,
     *     then the new tokens
     */
    float[] run(long[] ids, long[] positions, float[] bias, int batch, int seq, KvCache cache, Rope rope) {
        if (session == null) throw new IllegalStateException("the decoder has no weights yet: load them first");
        if (cache.batch != batch) throw new IllegalArgumentException("a cache of " + cache.batch + " rows for a batch of " + batch);
        int d = config.headDim();
        float[] cos = new float[positions.length * d];
        float[] sin = new float[positions.length * d];
        rope.fill(positions, cos, sin);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", own(owned, OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), new long[] {batch, seq})));
            in.put("cos", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(cos), new long[] {batch, seq, d})));
            in.put("sin", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(sin), new long[] {batch, seq, d})));
            in.put("attention_bias", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(bias),
                    new long[] {batch, seq, cache.capacity + seq})));
            for (int l = 0; l < config.numLayers(); l++) {
                in.put("past_key." + l, cache.keyTensors[l]);
                in.put("past_value." + l, cache.valueTensors[l]);
            }
            try (OrtSession.Result result = session.run(in)) {
                cache.append(result, seq);
                return floats(result.get("logits").orElseThrow());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the decoder: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor own(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    static float[] floats(OnnxValue value) {
        FloatBuffer b = ((OnnxTensor) value).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private void closeSession() {
        if (session == null) return;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close the ONNX Runtime session", e);
        }
        session = null;
    }

    @Override
    public void close() {
        closeSession();
    }
}
