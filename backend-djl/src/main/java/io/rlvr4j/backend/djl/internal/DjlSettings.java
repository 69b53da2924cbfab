package io.rlvr4j.backend.djl.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.util.Locale;

/**
 * The settings of both djl providers, read from the {@code policy} or {@code rollout} slice:
 * <ul>
 *   <li>{@code device}: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (default: CUDA when
 *       PyTorch sees a GPU, else CPU). Asking for CUDA without a GPU is an error.
 *   <li>{@code threads}: PyTorch intra-op threads (default: the available processors). The setting is
 *       process-wide in PyTorch: the policy opened last decides. When other busy processes share the
 *       cores, use 1: PyTorch's OpenMP workers wait for one another at every operation, and a
 *       descheduled worker stalls each of them (measured: 100x slower decoding on 2 shared cores).
 *   <li>{@code micro_batch_size}: sequences per forward/backward pass in training and log-probs
 *       (default 32). It changes speed and memory, never the result.
 *   <li>{@code micro_batch_tokens}: at most this many padded tokens (sequences times the longest) per
 *       such pass (default 0: no limit); a longer sequence is a pass of its own. The activations a
 *       training pass holds grow with its tokens, so this bounds them where sequence lengths vary.
 *   <li>{@code generation_batch_size}: prompts decoded together (default 256); longer requests run in
 *       chunks. It changes speed and memory, never the samples.
 *   <li>{@code logit_chunk_tokens}: the response positions whose vocabulary-wide logits are held at
 *       once when log-probabilities, entropies and their gradients are computed (default {@code auto}:
 *       as many as make 64 MB of float32 logits, {@code 2^24 / vocab_size}, 110 at vocabulary 151,936;
 *       {@code 0}: a whole micro-batch at once). A micro-batch of more positions is scored in chunks;
 *       in training its loss is then back-propagated through the output layer one chunk at a time,
 *       which computes that layer's forward pass twice. It changes speed and memory, never the result.
 *   <li>{@code save_dtype}: the dtype of saved weights: {@code auto} (default: the dtype of the
 *       checkpoint the model came from, else its {@code config.json} {@code torch_dtype}, else float32),
 *       {@code float32}, {@code bfloat16} or {@code float16}. Training always keeps float32 weights;
 *       saving rounds them to nearest even.
 *   <li>{@code max_shard_size}: above this the saved weights are sharded with
 *       {@code model.safetensors.index.json}: bytes, or a string such as {@code 5GB} or {@code 500MB}
 *       (decimal units, as {@code transformers}; default {@code 5GB}).
 * </ul>
 * Opening a provider sets the system property {@code ai.djl.offline=true} unless it is already set:
 * DJL must neither call home nor download native libraries during a run.
 *
 * @param deviceName the value of {@code device}, lower case
 * @param threads intra-op threads
 * @param microBatchSize sequences per training or scoring pass
 * @param microBatchTokens padded tokens per training or scoring pass, {@link Integer#MAX_VALUE} for no limit
 * @param generationBatchSize prompts per decoding batch
 * @param saveDtype the safetensors dtype of saved weights ({@code F32}, {@code BF16}, {@code F16}), or null for the source's
 * @param maxShardBytes the largest shard saved
 * @param logitChunkTokens positions whose logits are held at once; 0 for no limit, -1 for {@code auto}
 * @param lora the LoRA adapters a trained actor gets ({@code lora}), or null for full training
 * @param source the slice read, for error messages
 */
record DjlSettings(String deviceName, int threads, int microBatchSize, int microBatchTokens, int generationBatchSize, String saveDtype, long maxShardBytes,
                   int logitChunkTokens, LoraAdapters.Spec lora, Settings source) {

    /** the float32 logits {@code auto} chunks hold: 64 MB */
    static final int AUTO_CHUNK_LOGITS = 1 << 24;

    private static final java.util.Map<String, String> DTYPES = java.util.Map.of("float32", "F32", "bfloat16", "BF16", "float16", "F16");

    /** Reads (and validates) the settings; touches no native code. */
    static DjlSettings read(Settings s) {
        String device = s.string("device", "auto").trim().toLowerCase(Locale.ROOT);
        if (!device.equals("auto") && !device.equals("cpu") && !device.matches("cuda(:\\d+)?")) {
            throw s.invalid("device", "expected cpu, cuda, cuda:N or auto");
        }
        int threads = s.integer("threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) throw s.invalid("threads", "must be at least 1");
        int micro = s.integer("micro_batch_size", 32);
        if (micro < 1) throw s.invalid("micro_batch_size", "must be at least 1");
        int microTokens = s.integer("micro_batch_tokens", 0);
        if (microTokens < 0) throw s.invalid("micro_batch_tokens", "must be 0 (no limit) or a number of tokens");
        int gen = s.integer("generation_batch_size", 256);
        if (gen < 1) throw s.invalid("generation_batch_size", "must be at least 1");
        String dtype = s.string("save_dtype", "auto").trim().toLowerCase(Locale.ROOT);
        if (!dtype.equals("auto") && !DTYPES.containsKey(dtype)) throw s.invalid("save_dtype", "expected auto, float32, bfloat16 or float16");
        String chunk = s.string("logit_chunk_tokens", "auto").trim().toLowerCase(Locale.ROOT);
        int chunkTokens;
        if (chunk.equals("auto")) {
            chunkTokens = -1;
        } else {
            chunkTokens = s.integer("logit_chunk_tokens", 0);
            if (chunkTokens < 0) throw s.invalid("logit_chunk_tokens", "expected auto, 0 (no chunks) or a number of positions");
        }
        LoraAdapters.Spec lora = s.has("lora") ? LoraAdapters.Spec.read(s.section("lora")) : null;
        return new DjlSettings(device, threads, micro, microTokens == 0 ? Integer.MAX_VALUE : microTokens, gen, DTYPES.get(dtype), shardSize(s),
                chunkTokens, lora, s);
    }

    /** {@return the positions whose logits are held at once for a vocabulary of {@code vocab}}: {@link Integer#MAX_VALUE} for no limit */
    int logitChunkTokens(int vocab) {
        if (logitChunkTokens == 0) return Integer.MAX_VALUE;
        return logitChunkTokens > 0 ? logitChunkTokens : Math.max(1, AUTO_CHUNK_LOGITS / vocab);
    }

    /** {@return the safetensors dtype of a {@code torch_dtype} name} ({@code bfloat16} → {@code BF16}), or null if none of those written */
    static String safetensorsDtype(String torchDtype) {
        return torchDtype == null ? null : DTYPES.get(torchDtype.toLowerCase(Locale.ROOT));
    }

    /** {@return the {@code torch_dtype} name of a safetensors dtype written} ({@code BF16} → {@code bfloat16}) */
    static String torchDtype(String safetensorsDtype) {
        return DTYPES.entrySet().stream().filter(e -> e.getValue().equals(safetensorsDtype)).findFirst().orElseThrow().getKey();
    }

    private static long shardSize(Settings s) {
        String v = s.string("max_shard_size", "5GB").trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(KB|MB|GB|TB)?", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(v);
        if (!m.matches()) throw s.invalid("max_shard_size", "expected bytes or a size such as 5GB or 500MB");
        long unit = m.group(2) == null ? 1 : switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        long bytes = (long) (Double.parseDouble(m.group(1)) * unit);
        if (bytes < 1) throw s.invalid("max_shard_size", "must be at least one byte");
        return bytes;
    }

    /** {@return the flavor of the PyTorch natives on the class path} ({@code cpu}, {@code cu124} …), or "unknown" */
    static String nativeFlavor() {
        try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) return "unknown";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("flavor", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Loads PyTorch, applies {@code threads} and {@return the device to run on}.
     *
     * @throws ConfigException when CUDA is asked for and PyTorch sees no GPU
     */
    Device start() {
        // DJL otherwise probes the network at start-up (and would try to download missing native libraries)
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("the PyTorch engine of DJL could not be loaded (is pytorch-native-cpu or a CUDA build on the "
                    + "class path, and DJL_CACHE_DIR writable?): " + e.getMessage(), e);
        }
        JniUtils.setNumThreads(threads);
        int gpus = engine.getGpuCount();
        if (deviceName.equals("cpu")) return Device.cpu();
        if (deviceName.equals("auto")) return gpus > 0 ? Device.gpu(0) : Device.cpu();
        int id = deviceName.contains(":") ? Integer.parseInt(deviceName.substring(5)) : 0;
        if (gpus == 0) {
            throw source.invalid("device", "CUDA was asked for, but PyTorch " + engine.getVersion()
                    + " sees no GPU (" + (nativeFlavor().startsWith("cu") ? "the " + nativeFlavor() + " build: this machine has no GPU it can use"
                    : "this is the CPU build of PyTorch: build with the cuda profile, RLVR4J_BUILD_ARGS=-Pcuda, docs/cuda.md")
                    + "); use cpu or auto");
        }
        if (id >= gpus) throw source.invalid("device", "PyTorch sees " + gpus + " GPU(s): use cuda:0 … cuda:" + (gpus - 1));
        return Device.gpu(id);
    }
}
