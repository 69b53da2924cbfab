package io.rlvr4j.backend.onnx.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.rlvr4j.api.config.Settings;
import java.util.Locale;

/**
 * Where the engine's sessions run, from the {@code rollout} settings:
 * <ul>
 *   <li>{@code threads}: intra-op threads on the CPU (default: the available processors; spinning is
 *       off, since the cores are shared with the trainer).
 *   <li>{@code device}: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (default: CUDA device 0
 *       when this ONNX Runtime build has the CUDA execution provider, the {@code onnxruntime_gpu} jar of
 *       the {@code cuda} Maven profile, and the NVIDIA driver lists a GPU; else the CPU). CUDA from a
 *       build without it is refused.
 * </ul>
 * On CUDA, operators the CUDA provider lacks for float32 run on the CPU provider, and the KV cache stays
 * in host memory, copied to the device at each step: ONNX Runtime's Java API has no device-memory
 * tensors or I/O binding to keep it there.
 *
 * @param threads intra-op threads
 * @param cudaDevice the CUDA device, or -1 for the CPU
 */
record OnnxPlacement(int threads, int cudaDevice) {

    /** The CPU with {@code threads} intra-op threads. */
    static OnnxPlacement cpu(int threads) {
        return new OnnxPlacement(threads, -1);
    }

    /** Reads {@code threads} and {@code device}. */
    static OnnxPlacement read(Settings settings) {
        int threads = settings.integer("threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) throw settings.invalid("threads", "must be at least 1");
        String device = settings.string("device", "auto").trim().toLowerCase(Locale.ROOT);
        if (!device.equals("auto") && !device.equals("cpu") && !device.matches("cuda(:\\d+)?")) {
            throw settings.invalid("device", "expected cpu, cuda, cuda:N or auto");
        }
        boolean cudaBuilt = cudaProvider();
        if (device.equals("cpu") || (device.equals("auto") && !(cudaBuilt && nvidiaGpu()))) return cpu(threads);
        if (!cudaBuilt) {
            throw settings.invalid("device", "this ONNX Runtime build has no CUDA execution provider (the CPU jar, onnxruntime);"
                    + " build with the cuda profile (./mvnw -Pcuda, docs/cuda.md) for onnxruntime_gpu, or use cpu");
        }
        return new OnnxPlacement(threads, device.startsWith("cuda:") ? Integer.parseInt(device.substring(5)) : 0);
    }

    /** {@return whether the ONNX Runtime on the module path was built with the CUDA execution provider} */
    static boolean cudaProvider() {
        try {
            return OnnxDecoder.ENV.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@return whether the NVIDIA driver lists a GPU} ({@code /proc/driver/nvidia/gpus}, Linux) */
    static boolean nvidiaGpu() {
        try (java.util.stream.Stream<java.nio.file.Path> gpus = java.nio.file.Files.list(java.nio.file.Path.of("/proc/driver/nvidia/gpus"))) {
            return gpus.findAny().isPresent();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@return the device in configuration words} */
    String describe() {
        return cudaDevice < 0 ? "cpu" : "cuda:" + cudaDevice;
    }

    /** {@return the options of every session of the engine}: the threads, which do not spin, every optimisation, the CUDA provider where placed */
    OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cudaDevice >= 0) options.addCUDA(cudaDevice);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
