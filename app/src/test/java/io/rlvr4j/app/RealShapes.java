package io.rlvr4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checkpoints of real models' shapes with random weights, written as {@code save_pretrained} writes
 * them (BF16, shards and {@code model.safetensors.index.json}) by code of their own, independent of the
 * project's writer: what a user brings, without the download.
 */
final class RealShapes {

    private RealShapes() {}

    /**
     * Writes a Qwen2.5-0.5B-shaped checkpoint (24 layers, hidden 896, 14 heads sharing 2 key/value
     * heads, intermediate 4,864, vocabulary 151,936, tied head; 494 M parameters) into {@code dir}: its
     * {@code config.json} and {@code generation_config.json} as released, random BF16 weights (normal, std
     * 0.02; norms 1) in two shards, and the Qwen3 fixture tokenizer (whose ids fit the vocabulary).
     */
    static void qwen25HalfB(Path dir, Path tokenizerFixture) throws IOException {
        Files.createDirectories(dir);
        int layers = 24;
        int hidden = 896;
        int inter = 4864;
        int vocab = 151936;
        int q = 14 * 64;
        int kv = 2 * 64;
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        config.putArray("architectures").add("Qwen2ForCausalLM");
        config.put("attention_dropout", 0.0).put("bos_token_id", 151643).put("eos_token_id", 151643).put("hidden_act", "silu")
                .put("hidden_size", hidden).put("initializer_range", 0.02).put("intermediate_size", inter)
                .put("max_position_embeddings", 32768).put("max_window_layers", 24).put("model_type", "qwen2")
                .put("num_attention_heads", 14).put("num_hidden_layers", layers).put("num_key_value_heads", 2)
                .put("rms_norm_eps", 1e-6).put("rope_theta", 1000000.0).put("sliding_window", 32768).put("tie_word_embeddings", true)
                .put("torch_dtype", "bfloat16").put("transformers_version", "4.40.1").put("use_cache", true)
                .put("use_sliding_window", false).put("vocab_size", vocab);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 151643, \"do_sample\": false, \"eos_token_id\": 151643, \"max_new_tokens\": 2048}\n");
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) Files.copy(tokenizerFixture.resolve(f), dir.resolve(f));

        List<Map<String, long[]>> shards = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
        shards.get(0).put("model.embed_tokens.weight", new long[] {vocab, hidden});
        for (int l = 0; l < layers; l++) {
            Map<String, long[]> s = shards.get(l < layers / 2 ? 0 : 1);
            String p = "model.layers." + l + ".";
            s.put(p + "input_layernorm.weight", new long[] {hidden});
            s.put(p + "self_attn.q_proj.weight", new long[] {q, hidden});
            s.put(p + "self_attn.q_proj.bias", new long[] {q});
            s.put(p + "self_attn.k_proj.weight", new long[] {kv, hidden});
            s.put(p + "self_attn.k_proj.bias", new long[] {kv});
            s.put(p + "self_attn.v_proj.weight", new long[] {kv, hidden});
            s.put(p + "self_attn.v_proj.bias", new long[] {kv});
            s.put(p + "self_attn.o_proj.weight", new long[] {hidden, q});
            s.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            s.put(p + "mlp.gate_proj.weight", new long[] {inter, hidden});
            s.put(p + "mlp.up_proj.weight", new long[] {inter, hidden});
            s.put(p + "mlp.down_proj.weight", new long[] {hidden, inter});
        }
        shards.get(1).put("model.norm.weight", new long[] {hidden});

        SplittableRandom rnd = new SplittableRandom(2024);
        ObjectNode index = json.createObjectNode();
        ObjectNode weightMap = json.createObjectNode();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            total += writeShard(dir.resolve(name), shards.get(i), rnd);
            for (String t : shards.get(i).keySet()) weightMap.put(t, name);
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    }

    /** Writes one BF16 shard and {@return its data bytes} */
    private static long writeShard(Path file, Map<String, long[]> tensors, SplittableRandom rnd) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) n *= d;
            counts.add(n);
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"BF16\",\"shape\":[");
            for (int i = 0; i < e.getValue().length; i++) header.append(i == 0 ? "" : ",").append(e.getValue()[i]);
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + 2 * n).append("]}");
            offset += 2 * n;
        }
        header.append('}');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(h);
            while (head.hasRemaining()) head.put((byte) ' ');
            ch.write(head.flip());
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            int t = 0;
            for (String name : tensors.keySet()) {
                boolean norm = name.endsWith("layernorm.weight") || name.endsWith("norm.weight");
                for (long k = 0; k < counts.get(t); k++) {
                    float v = norm ? 1f : (float) (rnd.nextGaussian() * 0.02);
                    if (buf.remaining() < 2) {
                        buf.flip();
                        while (buf.hasRemaining()) ch.write(buf);
                        buf.clear();
                    }
                    buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // truncation: any BF16 values will do
                }
                t++;
            }
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
        }
        return offset;
    }
}
