/**
 * The files of a Hugging Face model directory, as every backend reads and writes them without an
 * engine: {@code config.json} of the Qwen2, Qwen3 and Llama families ({@link io.rlvr4j.backend.hf.DecoderConfig}),
 * safetensors checkpoints, single or sharded ({@link io.rlvr4j.backend.hf.Safetensors}), the
 * {@code tokenizer.json} tokenizer ({@link io.rlvr4j.backend.hf.HfTokenizer}, on the Hugging Face
 * tokenizers library) with its chat template ({@link io.rlvr4j.backend.hf.ChatTemplate}, rendered by
 * Hugging Face's {@code @huggingface/jinja} in GraalJS), crash-safe file writes; and what every engine
 * computes alike: the rotary tables ({@link io.rlvr4j.backend.hf.RotaryTables}), the batched decoding
 * loop ({@link io.rlvr4j.backend.hf.DecodeLoop}) and the sampler shell around it
 * ({@link io.rlvr4j.backend.hf.HfSampler}). A library of the backends; the one service it provides is
 * the model format, through which the app reads tokenizers without an engine.
 *
 * @provides io.rlvr4j.api.ModelFormat named {@code hf}
 */
module io.rlvr4j.backend.hf {
    requires transitive io.rlvr4j.api;
    requires transitive com.google.gson;
    requires ai.djl.api;
    requires ai.djl.tokenizers;
    requires org.graalvm.polyglot;

    exports io.rlvr4j.backend.hf;

    provides io.rlvr4j.api.ModelFormat with io.rlvr4j.backend.hf.internal.HfModelFormat;
}
