package io.rlvr4j.backend.hf.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.rlvr4j.backend.hf.AtomicFiles;
import io.rlvr4j.backend.hf.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A character-level tokenizer written as Hugging Face {@code tokenizer.json}: a BPE model with no
 * merges (one token per character), no pre-tokenizer, a {@code Fuse} decoder, and the Qwen2 special
 * tokens as added tokens. Any Hugging Face tokenizers implementation reads it. Its chat template is
 * {@link #PLAIN_TEMPLATE}.
 */
final class CharTokenizer {

    /** The special tokens, after the characters, in this order. */
    static final List<String> SPECIALS = List.of("<unk>", "<|endoftext|>", "<|im_start|>", "<|im_end|>");

    /**
     * The chat template of a fresh model ({@code chat_template.jinja}): such a model is a base model, so a
     * conversation is its turns' texts one after the other — a lone user message is the prompt as it is,
     * a system message is followed by a newline, an assistant turn by the end-of-sequence token, and the
     * generation prompt adds nothing.
     */
    static final String PLAIN_TEMPLATE = """
            {#- a base model's format: the turns' texts one after the other -#}
            {%- for message in messages -%}
                {%- if message.role == 'system' -%}{{ message.content + '\n' }}
                {%- elif message.role == 'assistant' -%}{{ message.content + eos_token }}
                {%- else -%}{{ message.content }}
                {%- endif -%}
            {%- endfor -%}
            """;

    private static final Gson JSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

    private final List<String> characters;

    private CharTokenizer(List<String> characters) {
        this.characters = List.copyOf(characters);
    }

    /** {@return the tokenizer over newline and printable ASCII (space to tilde)} */
    static CharTokenizer printableAscii() {
        List<String> chars = new ArrayList<>();
        chars.add("\n");
        for (char c = ' '; c <= '~'; c++) chars.add(String.valueOf(c));
        return new CharTokenizer(chars);
    }

    /** {@return characters plus special tokens} */
    int vocabularySize() {
        return characters.size() + SPECIALS.size();
    }

    /** {@return the id of a special token} */
    int specialId(String token) {
        int i = SPECIALS.indexOf(token);
        if (i < 0) throw new IllegalArgumentException("not a special token: " + token);
        return characters.size() + i;
    }

    /** {@return the id of the end-of-sequence token, {@code <|im_end|>}} */
    int eosId() {
        return specialId("<|im_end|>");
    }

    /** {@return the id of the padding token, {@code <|endoftext|>}} */
    int padId() {
        return specialId("<|endoftext|>");
    }

    /** Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code chat_template.jinja} into {@code dir}. */
    void write(Path dir) {
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int i = 0; i < characters.size(); i++) vocab.put(characters.get(i), i);
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : SPECIALS) {
            vocab.put(s, specialId(s));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", specialId(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", List.of());
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("version", "1.0");
        tok.put("truncation", null);
        tok.put("padding", null);
        tok.put("added_tokens", added);
        tok.put("normalizer", null);
        tok.put("pre_tokenizer", null);
        tok.put("post_processor", null);
        tok.put("decoder", Map.of("type", "Fuse"));
        tok.put("model", model);
        AtomicFiles.writeString(dir.resolve("tokenizer.json"), JSON.toJson(tok) + "\n");

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        cfg.put("bos_token", null);
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|endoftext|>");
        cfg.put("unk_token", "<unk>");
        cfg.put("add_bos_token", false);
        cfg.put("clean_up_tokenization_spaces", false);
        AtomicFiles.writeString(dir.resolve("tokenizer_config.json"), JSON.toJson(cfg) + "\n");
        AtomicFiles.writeString(dir.resolve(ChatTemplate.TEMPLATE_FILE), PLAIN_TEMPLATE);
    }
}
