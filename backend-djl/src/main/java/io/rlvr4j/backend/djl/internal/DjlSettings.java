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
 *   <li>{@code generation_batch_size}: prompts decoded together (default 256); longer requests run in
 *       chunks. It changes speed and memory, never the samples.
 * </ul>
 * Opening a provider sets the system property {@code ai.djl.offline=true} unless it is already set:
 * DJL must neither call home nor download native libraries during a run.
 *
 * @param deviceName the value of {@code device}, lower case
 * @param threads intra-op threads
 * @param microBatchSize sequences per training or scoring pass
 * @param generationBatchSize prompts per decoding batch
 * @param source the slice read, for error messages
 */
record DjlSettings(String deviceName, int threads, int microBatchSize, int generationBatchSize, Settings source) {

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
        int gen = s.integer("generation_batch_size", 256);
        if (gen < 1) throw s.invalid("generation_batch_size", "must be at least 1");
        return new DjlSettings(device, threads, micro, gen, s);
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
                    + " sees no GPU (this build or machine has none); use cpu or auto");
        }
        if (id >= gpus) throw source.invalid("device", "PyTorch sees " + gpus + " GPU(s): use cuda:0 … cuda:" + (gpus - 1));
        return Device.gpu(id);
    }
}
