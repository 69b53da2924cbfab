/**
 * Rollouts on ONNX Runtime: the Qwen2 decoder's graph is written in Java from {@code config.json},
 * with a key/value cache, and its weights are supplied when the session is created, so a training
 * step's weights arrive by rebuilding the session from memory. It publishes no provider until the
 * engine is complete, so {@code rlvr4j plugins} does not list it: a plugin that is listed works.
 */
module io.rlvr4j.backend.onnx {
    requires io.rlvr4j.api;
    requires io.rlvr4j.backend.hf;
    requires com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
}
