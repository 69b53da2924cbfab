/**
 * Rollouts on ONNX Runtime: the decoder's graph (Qwen2, Qwen3, Llama) is written in Java from {@code config.json},
 * with a key/value cache, and its weights are supplied when the session is created, so a training
 * step's weights arrive by building a new session from memory.
 *
 * <p>Settings ({@code rollout.*}): {@code threads} (intra-op, default: the available processors),
 * {@code device} (cpu | cuda | cuda:N | auto: CUDA with the onnxruntime_gpu build of the cuda profile),
 * {@code generation_batch_size} (default 256).
 *
 * @provides io.rlvr4j.api.RolloutEngine selected in config as {@code rollout.engine: onnx}
 */
module io.rlvr4j.backend.onnx {
    requires io.rlvr4j.api;
    requires io.rlvr4j.backend.hf;
    requires com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;

    provides io.rlvr4j.api.RolloutEngine with io.rlvr4j.backend.onnx.internal.OnnxRolloutEngine;
}
