/**
 * The {@code djl} policy backend and rollout engine: a decoder (Qwen2, Qwen3, Llama) written with PyTorch operations
 * through DJL, safetensors checkpoints, Hugging Face tokenizers, KV-cache sampling and AdamW training
 * on the objectives of {@code io.rlvr4j.api.objective}. Not exported: reached through
 * {@link java.util.ServiceLoader} only.
 */
package io.rlvr4j.backend.djl.internal;
