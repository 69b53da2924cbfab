package io.rlvr4j.backend.onnx.internal;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.HfSampler;
import io.rlvr4j.backend.hf.HfTokenizer;
import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.Safetensors;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference-only Qwen2 sampler on ONNX Runtime, fed new weights with {@link #loadWeights} (a new
 * session each time). A model directory without weights (that of a policy opened with
 * {@code init: RANDOM}) opens without a session: load the policy's weights before sampling.
 * Not thread-safe.
 *
 * <p>Settings: {@code threads} and {@code device} ({@link OnnxPlacement}), {@code generation_batch_size}
 * (prompts decoded together, default 256).
 */
final class OnnxSampler extends HfSampler {

    private final OnnxDecoder decoder;
    private final OnnxGenerator generator;

    private OnnxSampler(OnnxDecoder decoder, HfTokenizer tokenizer, int generationBatchSize) {
        super(tokenizer);
        this.decoder = decoder;
        this.generator = new OnnxGenerator(decoder, generationBatchSize);
    }

    static OnnxSampler open(Path modelDir, Settings settings) {
        OnnxPlacement placement = OnnxPlacement.read(settings);
        int batch = settings.integer("generation_batch_size", 256);
        if (batch < 1) throw settings.invalid("generation_batch_size", "must be at least 1");
        DecoderConfig config = DecoderConfig.read(modelDir);
        return open(modelDir, config, tokenizer -> {
            if (!Safetensors.isCheckpoint(modelDir)) return new OnnxSampler(new OnnxDecoder(config, false, null, placement), tokenizer, batch);
            // read off the Java heap: a large model's values would otherwise stay behind as garbage the heap keeps
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                return new OnnxSampler(new OnnxDecoder(config, false, read(modelDir, arena), placement), tokenizer, batch);
            }
        });
    }

    /** {@return every tensor of the checkpoint in {@code modelDir}, as float32 values on the Java heap} */
    static Map<String, WeightTensor> read(Path modelDir) {
        return read(modelDir, null);
    }

    /**
     * {@return every tensor of the checkpoint in {@code modelDir}, as float32 values}: in memory of
     * {@code arena}, which the caller closes once the values are copied, or on the Java heap when it is null
     */
    static Map<String, WeightTensor> read(Path modelDir, java.lang.foreign.Arena arena) {
        Map<String, WeightTensor> out = new HashMap<>();
        Safetensors.readCheckpoint(modelDir, new Safetensors.TensorSink() {
            @Override
            public void accept(String name, long[] shape, ByteBuffer data) {
                FloatBuffer v = allocate(name, shape);
                v.put(0, data.asFloatBuffer(), 0, data.remaining() / 4);
                out.put(name, new WeightTensor(shape, v));
            }

            @Override
            public void acceptRows(String name, long[] shape, long firstRow, ByteBuffer data) {
                long count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
                FloatBuffer v = out.computeIfAbsent(name, n -> new WeightTensor(shape, allocate(name, shape))).data();
                v.put(Math.toIntExact(firstRow * (count / shape[0])), data.asFloatBuffer(), 0, data.remaining() / 4);
            }

            private FloatBuffer allocate(String name, long[] shape) {
                long count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
                if (count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(modelDir + ": tensor " + name + " " + Arrays.toString(shape)
                        + " has more values than a Java buffer holds (use rollout.engine: policy)");
                if (arena == null) return FloatBuffer.allocate((int) count);
                return arena.allocate(4 * count, 64).asByteBuffer().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            }
        });
        return out;
    }

    @Override
    protected List<Generation> decode(List<int[]> prompts, SamplingParams params, HfTokenizer tokenizer) {
        return generator.generate(prompts, params, tokenizer);
    }

    /** As {@link #generate}, choosing tokens where {@code placement} says (tests compare the two). */
    List<Generation> generate(List<int[]> prompts, SamplingParams params, io.rlvr4j.backend.hf.DecodeLoop.Placement placement) {
        return generator.generate(prompts, params, tokenizer(), placement);
    }

    /**
     * As {@link #loadWeights}: every tensor of the model must be given, with its shape (checked by the
     * decoder); names the model does not have are an error.
     */
    @Override
    protected void load(Map<String, WeightTensor> weights) {
        List<String> unknown = weights.keySet().stream().filter(name -> !decoder.weightShapes().containsKey(name)).sorted().toList();
        if (!unknown.isEmpty()) throw new IllegalArgumentException("the model has no tensors named " + unknown);
        decoder.load(weights);
    }

    @Override
    protected void closeModel() {
        decoder.close();
    }
}
