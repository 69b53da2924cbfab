/**
 * Policies and rollouts on DJL with the PyTorch engine: a Qwen2-family decoder written with NDArray
 * operations, trained with AdamW on the objectives of {@code io.rlvr4j.api.objective}, sampled with a
 * KV cache, read from and written to Hugging Face model directories.
 *
 * <p>Settings of both providers ({@code policy.*} or {@code rollout.*}): {@code device}
 * (cpu | cuda | cuda:N | auto), {@code threads}, {@code micro_batch_size},
 * {@code generation_batch_size}; the policy's also {@code micro_batch_tokens}, {@code logit_chunk_tokens}, {@code lora}, {@code save_dtype},
 * {@code max_shard_size}.
 *
 * @provides io.rlvr4j.api.PolicyBackend selected in config as {@code policy.backend: djl}
 * @provides io.rlvr4j.api.RolloutEngine selected in config as {@code rollout.engine: djl}
 */
module io.rlvr4j.backend.djl {
    requires io.rlvr4j.api;
    requires io.rlvr4j.backend.hf;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires ai.djl.tokenizers;
    requires com.google.gson;

    provides io.rlvr4j.api.PolicyBackend with io.rlvr4j.backend.djl.internal.DjlPolicyBackend;
    provides io.rlvr4j.api.RolloutEngine with io.rlvr4j.backend.djl.internal.DjlRolloutEngine;
}
