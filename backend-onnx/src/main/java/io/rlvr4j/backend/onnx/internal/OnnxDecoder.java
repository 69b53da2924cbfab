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
     * @throws IllegalArgumentException naming a missing, unknown or mis-sized tensor; nothing changes then
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

    /** A key/value cache: per layer {@code [batch, kv_heads, length, head_dim]}. */
    interface Cache {
        OnnxTensor key(int layer);

        OnnxTensor value(int layer);

        /** {@return the cached positions} */
        default long length() {
            return key(0).getInfo().getShape()[2];
        }
    }

    /** A cache whose tensors this program must release. */
    interface HeldCache extends Cache, AutoCloseable {
        @Override
        void close();
    }

    /**
     * The outputs of one run: logits and the key/value cache after it. Close it once the cache has
     * been passed on to the next run (or is no longer needed).
     */
    static final class Output implements HeldCache {
        private final OrtSession.Result result;

        private Output(OrtSession.Result result) {
            this.result = result;
        }

        /** {@return the logits, row-major} */
        float[] logits() {
            return floats(result.get("logits").orElseThrow());
        }

        @Override
        public OnnxTensor key(int layer) {
            return (OnnxTensor) result.get("present_key." + layer).orElseThrow();
        }

        @Override
        public OnnxTensor value(int layer) {
            return (OnnxTensor) result.get("present_value." + layer).orElseThrow();
        }

        @Override
        public void close() {
            result.close();
        }
    }

    /** A cache this program owns: some rows of another. */
    static final class OwnedCache implements HeldCache {
        private final OnnxTensor[] keys;
        private final OnnxTensor[] values;

        private OwnedCache(OnnxTensor[] keys, OnnxTensor[] values) {
            this.keys = keys;
            this.values = values;
        }

        /** {@return the rows {@code rows} of {@code cache}, copied} */
        static OwnedCache select(Cache cache, int layers, int[] rows) {
            OnnxTensor[] k = new OnnxTensor[layers];
            OnnxTensor[] v = new OnnxTensor[layers];
            try {
                for (int l = 0; l < layers; l++) {
                    k[l] = rows(cache.key(l), rows);
                    v[l] = rows(cache.value(l), rows);
                }
            } catch (OrtException e) {
                for (OnnxTensor t : k) if (t != null) t.close();
                for (OnnxTensor t : v) if (t != null) t.close();
                throw new IllegalStateException("could not copy the key/value cache: " + e.getMessage(), e);
            }
            return new OwnedCache(k, v);
        }

        private static OnnxTensor rows(OnnxTensor t, int[] rows) throws OrtException {
            long[] shape = t.getInfo().getShape().clone();
            int row = (int) (shape[1] * shape[2] * shape[3]);
            FloatBuffer all = t.getFloatBuffer();
            float[] out = new float[rows.length * row];
            for (int i = 0; i < rows.length; i++) all.get(rows[i] * row, out, i * row, row);
            shape[0] = rows.length;
            return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(out), shape);
        }

        @Override
        public OnnxTensor key(int layer) {
            return keys[layer];
        }

        @Override
        public OnnxTensor value(int layer) {
            return values[layer];
        }

        @Override
        public void close() {
            for (OnnxTensor t : keys) t.close();
            for (OnnxTensor t : values) t.close();
        }
    }

    /**
     * Runs {@code seq} tokens of {@code batch} rows after {@code past}.
     *
     * @param ids {@code [batch, seq]} token ids
     * @param positions {@code [batch, seq]} rotary positions
     * @param bias {@code [batch, seq, past + seq]} additive attention bias
     * @param past the cache to continue, or null for an empty one
     */
    Output run(long[] ids, long[] positions, float[] bias, int batch, int seq, Cache past, Rope rope) {
        if (session == null) throw new IllegalStateException("the decoder has no weights yet: load them first");
        int d = config.headDim();
        long pastLength = past == null ? 0 : past.length();
        float[] cos = new float[positions.length * d];
        float[] sin = new float[positions.length * d];
        rope.fill(positions, cos, sin);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", own(owned, OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), new long[] {batch, seq})));
            in.put("cos", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(cos), new long[] {batch, seq, d})));
            in.put("sin", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(sin), new long[] {batch, seq, d})));
            in.put("attention_bias", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(bias), new long[] {batch, seq, pastLength + seq})));
            for (int l = 0; l < config.numLayers(); l++) {
                if (past == null) {
                    long[] shape = {batch, config.numKvHeads(), 0, d};
                    in.put("past_key." + l, own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0), shape)));
                    in.put("past_value." + l, own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0), shape)));
                } else {
                    in.put("past_key." + l, past.key(l));
                    in.put("past_value." + l, past.value(l));
                }
            }
            return new Output(session.run(in));
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
