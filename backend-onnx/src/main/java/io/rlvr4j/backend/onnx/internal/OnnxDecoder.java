package io.rlvr4j.backend.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.backend.hf.DecodeLoop;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.RotaryTables;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session of a {@link DecoderGraph} and the weights it was created with.
 *
 * <p>The graph's weights are declared with external data; the values are handed to ONNX Runtime at
 * session creation ({@code addExternalInitializers}, which copies them before its optimisations,
 * so constant folding and weight prepacking still apply). New weights build a new session from the
 * same model bytes, and the old one is closed.
 *
 * <p>Not thread-safe.
 */
final class OnnxDecoder implements AutoCloseable {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    /** The one output a run returns besides the cache, which is written in place. */
    private static final Set<String> LOGITS = Set.of("logits");

    private final DecoderConfig config;
    private final DecoderGraph.Written graph;
    private final OnnxPlacement placement;
    private final boolean allPositions;
    private OrtSession session;
    private OnnxTensor cosCache;
    private OnnxTensor sinCache;
    private int rotaryPositions;

    /**
     * @param weights every tensor the graph declares, by Hugging Face name, as float32 values; null to
     *     create the session later, at the first {@link #load}
     * @param threads intra-op threads on the CPU (spinning is turned off: the cores are shared with the trainer)
     */
    OnnxDecoder(DecoderConfig config, boolean allPositions, Map<String, WeightTensor> weights, int threads) {
        this(config, allPositions, weights, OnnxPlacement.cpu(threads));
    }

    /** As {@link #OnnxDecoder(DecoderConfig, boolean, Map, int)}, with sessions where {@code placement} says. */
    OnnxDecoder(DecoderConfig config, boolean allPositions, Map<String, WeightTensor> weights, OnnxPlacement placement) {
        this.config = config;
        this.graph = DecoderGraph.write(config, allPositions);
        this.allPositions = allPositions;
        this.placement = placement;
        if (weights != null) load(weights);
    }

    DecoderConfig config() {
        return config;
    }

    /** {@return the tensors the graph needs, with their shapes} */
    Map<String, long[]> weightShapes() {
        return graph.weights();
    }

    /**
     * Builds a new session on {@code values} and closes the old one.
     *
     * @param values at least every tensor the graph declares (others are ignored)
     * @throws IllegalArgumentException naming each missing or mis-shaped tensor; nothing changes then
     */
    void load(Map<String, WeightTensor> values) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : graph.weights().entrySet()) {
            WeightTensor v = values.get(e.getKey());
            if (v == null) problems.add("missing " + e.getKey());
            else if (!Arrays.equals(v.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(v.shape()) + ", the model expects " + Arrays.toString(e.getValue()));
            } else if (4L * v.size() > Integer.MAX_VALUE) {
                problems.add(e.getKey() + " is over 2 GB as float32, more than ONNX Runtime's Java API takes in one tensor"
                        + " (use rollout.engine: policy)");
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("weights do not fit the model: " + String.join("; ", problems));
        closeSession();
        Map<String, OnnxTensor> fresh = new HashMap<>();
        OrtSession created;
        // the values are copied into the session: the staging memory is freed once it exists, not when a garbage
        // collection happens to find the buffers (the arena)
        try (OrtSession.SessionOptions options = placement.sessionOptions(); Arena staging = Arena.ofConfined()) {
            try {
                for (DecoderGraph.Initializer i : graph.initializers()) {
                    long count = Arrays.stream(i.shape()).reduce(1, (a, b) -> a * b);
                    FloatBuffer buf = staging.allocate(4 * count, 64).asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
                    lay(i, values, buf);
                    fresh.put(i.name(), OnnxTensor.createTensor(ENV, buf, i.shape()));
                }
                options.addExternalInitializers(new HashMap<>(fresh));
                created = ENV.createSession(graph.model(), options);
            } finally {
                fresh.values().forEach(OnnxTensor::close); // before their memory goes with the arena
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not create the decoder session: " + e.getMessage(), e);
        }
        session = created;
    }

    /** Writes initializer {@code i} from its Hugging Face tensors into {@code out} (positioned at 0 after). */
    private static void lay(DecoderGraph.Initializer i, Map<String, WeightTensor> values, FloatBuffer out) {
        if (!i.transposed()) {
            for (String source : i.sources()) out.put(values.get(source).data().duplicate());
            out.flip();
            return;
        }
        // [out_k, in] sources side by side as [in, sum(out_k)], in tiles (a transpose read row by row misses the cache)
        int in = (int) i.shape()[0];
        int width = (int) i.shape()[1];
        int column = 0;
        final int tile = 64;
        for (String source : i.sources()) {
            FloatBuffer w = values.get(source).data();
            int base = w.position();
            int rows = w.remaining() / in;
            for (int r0 = 0; r0 < rows; r0 += tile) {
                for (int c0 = 0; c0 < in; c0 += tile) {
                    for (int c = c0; c < Math.min(in, c0 + tile); c++) {
                        for (int r = r0; r < Math.min(rows, r0 + tile); r++) out.put(c * width + column + r, w.get(base + r * in + c));
                    }
                }
            }
            column += rows;
        }
        out.position(0).limit(out.capacity());
    }

    /**
     * A fixed-capacity key/value cache in direct buffers, per layer keys and values
     * {@code [batch, kv_heads, capacity, head_dim]}: the session's attention reads and extends it in
     * place (the same tensors are given as the past input and as the pinned present output, which
     * ONNX Runtime's {@code GroupQueryAttention} recognises as one shared buffer), so a decoding step
     * copies nothing of the past. Every row has the same number of filled slots; rows that started
     * shorter mask their padding slots through the attention bias.
     */
    static final class KvCache implements AutoCloseable {
        final int batch;
        final int capacity;
        private final FloatBuffer[] keys;
        private final FloatBuffer[] values;
        private final OnnxTensor[] keyTensors;
        private final OnnxTensor[] valueTensors;
        private final int rowSize;
        private int length;
        /** the last step's logits where the session wrote them ({@link DecodeLoop.Pick.Kind#TOP}); allocated at first use */
        private FloatBuffer logitsBuffer;
        private OnnxTensor logitsTensor;
        private int logitsRows;

        KvCache(DecoderConfig c, int batch, int capacity) {
            this.batch = batch;
            this.capacity = capacity;
            int layers = c.numLayers();
            keys = new FloatBuffer[layers];
            values = new FloatBuffer[layers];
            keyTensors = new OnnxTensor[layers];
            valueTensors = new OnnxTensor[layers];
            rowSize = c.numKvHeads() * capacity * c.headDim();
            long[] shape = {batch, c.numKvHeads(), capacity, c.headDim()};
            try {
                for (int l = 0; l < layers; l++) {
                    keys[l] = ByteBuffer.allocateDirect(4 * batch * rowSize).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    values[l] = ByteBuffer.allocateDirect(4 * batch * rowSize).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    keyTensors[l] = OnnxTensor.createTensor(ENV, keys[l], shape);
                    valueTensors[l] = OnnxTensor.createTensor(ENV, values[l], shape);
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

        /** {@return a cache of the rows {@code rows} of this one} (copied; same capacity and length) */
        KvCache select(DecoderConfig c, int[] rows) {
            KvCache out = new KvCache(c, rows.length, capacity);
            for (int l = 0; l < keys.length; l++) {
                for (int i = 0; i < rows.length; i++) {
                    out.keys[l].put(i * rowSize, keys[l], rows[i] * rowSize, rowSize);
                    out.values[l].put(i * rowSize, values[l], rows[i] * rowSize, rowSize);
                }
            }
            out.length = length;
            return out;
        }

        /** {@return a tensor of {@code [rows, vocab]} over this cache's logits buffer}, valid until the next call */
        OnnxTensor logits(int rows, int vocab) throws OrtException {
            if (logitsTensor != null && logitsRows == rows) return logitsTensor;
            if (logitsTensor != null) logitsTensor.close();
            if (logitsBuffer == null) logitsBuffer = ByteBuffer.allocateDirect(Math.multiplyExact(4 * batch, vocab)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            logitsTensor = OnnxTensor.createTensor(ENV, logitsBuffer.slice(0, rows * vocab), new long[] {rows, vocab});
            logitsRows = rows;
            return logitsTensor;
        }

        @Override
        public void close() {
            if (logitsTensor != null) logitsTensor.close();
            for (OnnxTensor t : keyTensors) if (t != null) t.close();
            for (OnnxTensor t : valueTensors) if (t != null) t.close();
        }
    }

    /**
     * Runs {@code seq} tokens of {@code batch} rows after the cache's filled slots, which the session
     * extends in place, and {@return the logits} (row-major). Rotary positions are slot indices: a
     * left-padded row's tokens sit {@code pad} positions further on than in an unpadded batch, which
     * leaves every query-key distance, and so the result, unchanged (rotary attention depends only on
     * the distance).
     *
     * @param ids {@code [batch, seq]} token ids
     * @param bias {@code [batch, seq, filled + seq]} additive attention bias over the filled slots,
     *     then the new tokens
     */
    float[] run(long[] ids, float[] bias, int batch, int seq, KvCache cache) {
        return run(ids, bias, batch, seq, cache, DecodeLoop.Pick.LOGITS).logits();
    }

    /**
     * As {@link #run(long[], float[], int, int, KvCache)}, {@return what {@code pick} asks of the last
     * position's scores}, computed in the session (a graph of the last position only): only the
     * outputs it needs are computed and copied. For {@link DecodeLoop.Pick.Kind#TOP} the logits are
     * written into the cache's buffer, where a row is read only if the loop asks for it.
     */
    DecodeLoop.Scores run(long[] ids, float[] bias, int batch, int seq, KvCache cache, DecodeLoop.Pick pick) {
        if (session == null) throw new IllegalStateException("the decoder has no weights yet: load them first");
        if (cache.batch != batch) throw new IllegalArgumentException("a cache of " + cache.batch + " rows for a batch of " + batch);
        int total = cache.length + seq;
        if (total > cache.capacity) throw new IllegalStateException("the key/value cache is full: " + cache.capacity + " slots");
        rotary(cache.capacity);
        int[] seqlens = new int[batch];
        Arrays.fill(seqlens, total - 1);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            Map<String, OnnxTensor> pinned = new HashMap<>();
            in.put("input_ids", own(owned, OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), new long[] {batch, seq})));
            in.put("attention_bias", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(bias), new long[] {batch, 1, seq, total})));
            in.put("seqlens_k", own(owned, OnnxTensor.createTensor(ENV, IntBuffer.wrap(seqlens), new long[] {batch})));
            in.put("total_sequence_length", own(owned, OnnxTensor.createTensor(ENV, IntBuffer.wrap(new int[] {total}), new long[0])));
            in.put("cos_cache", cosCache);
            in.put("sin_cache", sinCache);
            for (int l = 0; l < config.numLayers(); l++) {
                in.put("past_key." + l, cache.keyTensors[l]);
                in.put("past_value." + l, cache.valueTensors[l]);
                pinned.put("present_key." + l, cache.keyTensors[l]);
                pinned.put("present_value." + l, cache.valueTensors[l]);
            }
            Set<String> wanted = LOGITS;
            int k = Math.min(pick.candidates(), config.vocabSize());
            if (!allPositions) {
                float[] u = pick.uniforms() != null ? pick.uniforms() : new float[batch];
                in.put("inverse_temperature", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(new float[] {pick.inverseTemperature()}),
                        new long[0])));
                in.put("uniform", own(owned, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(u), new long[] {batch})));
                in.put("candidates", own(owned, OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {Math.max(1, k)}), new long[] {1})));
                wanted = switch (pick.kind()) {
                    case LOGITS -> LOGITS;
                    case GREEDY -> Set.of("greedy_token", "greedy_logprob");
                    case SAMPLE -> Set.of("sampled_token", "sampled_logprob");
                    case TOP -> Set.of("candidate_logits", "candidate_ids", "score_sum");
                };
                if (pick.kind() == DecodeLoop.Pick.Kind.TOP) pinned.put("logits", cache.logits(batch, config.vocabSize()));
            } else if (pick.kind() != DecodeLoop.Pick.Kind.LOGITS) {
                throw new IllegalArgumentException("a graph of every position returns logits only");
            }
            try (OrtSession.Result result = session.run(in, wanted, pinned)) {
                cache.length = total;
                return switch (pick.kind()) {
                    case LOGITS -> DecodeLoop.Scores.ofLogits(floats(result.get("logits").orElseThrow()));
                    case GREEDY -> DecodeLoop.Scores.ofTokens(longs(result.get("greedy_token").orElseThrow()),
                            floats(result.get("greedy_logprob").orElseThrow()));
                    case SAMPLE -> DecodeLoop.Scores.ofTokens(longs(result.get("sampled_token").orElseThrow()),
                            floats(result.get("sampled_logprob").orElseThrow()));
                    case TOP -> {
                        FloatBuffer logits = cache.logitsBuffer;
                        int vocab = config.vocabSize();
                        yield DecodeLoop.Scores.ofCandidates(floats(result.get("candidate_logits").orElseThrow()),
                                longs(result.get("candidate_ids").orElseThrow()), floats(result.get("score_sum").orElseThrow()), row -> {
                                    float[] r = new float[vocab];
                                    logits.get(row * vocab, r);
                                    return r;
                                });
                    }
                };
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the decoder: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /** Makes the rotary tables cover {@code positions}: {@code cos/sin(p * inv_freq_i)}, half a head wide, as the attention takes them. */
    private void rotary(int positions) {
        if (cosCache != null && rotaryPositions >= positions) return;
        int n = Math.max(positions, 2 * rotaryPositions);
        int d = config.headDim();
        RotaryTables full = RotaryTables.of(config, n);
        FloatBuffer cos = ByteBuffer.allocateDirect(4 * n * d / 2).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer sin = ByteBuffer.allocateDirect(4 * n * d / 2).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int p = 0; p < n; p++) {
            cos.put(full.cos(), p * d, d / 2);
            sin.put(full.sin(), p * d, d / 2);
        }
        cos.flip();
        sin.flip();
        closeRotary();
        try {
            cosCache = OnnxTensor.createTensor(ENV, cos, new long[] {n, d / 2});
            sinCache = OnnxTensor.createTensor(ENV, sin, new long[] {n, d / 2});
        } catch (OrtException e) {
            closeRotary();
            throw new IllegalStateException("could not allocate the rotary tables: " + e.getMessage(), e);
        }
        rotaryPositions = n;
    }

    private void closeRotary() {
        if (cosCache != null) cosCache.close();
        if (sinCache != null) sinCache.close();
        cosCache = null;
        sinCache = null;
        rotaryPositions = 0;
    }

    private static OnnxTensor own(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    static long[] longs(OnnxValue value) {
        LongBuffer b = ((OnnxTensor) value).getLongBuffer();
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
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
        closeRotary();
        closeSession();
    }
}
