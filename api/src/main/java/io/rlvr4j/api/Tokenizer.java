package io.rlvr4j.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Text to token ids and back, and a model's chat template. Thread-safe.
 *
 * <p>A tokenizer from {@link Sampler#tokenizer()} belongs to its sampler, which closes it; one that a
 * caller opened itself (for instance through {@link ModelFormat#openTokenizer}) is closed by the caller.
 */
public interface Tokenizer extends AutoCloseable {

    /** {@return the token ids of {@code text}, without special tokens added} (special tokens written in the text are recognised) */
    int[] encode(String text);

    /**
     * {@return the token ids of {@code text} with the special tokens the tokenizer adds to a bare text}:
     * Hugging Face {@code tokenizer(text)} with {@code add_special_tokens=True}, i.e. its post-processor
     * and the beginning-of-sequence token where {@code add_bos_token} asks for it. This is how a prompt
     * that no chat template wraps is encoded.
     */
    int[] encodeWithSpecialTokens(String text);

    /** {@return the text of {@code ids}, special tokens skipped} */
    String decode(int[] ids);

    /** {@return the number of token ids} */
    int vocabularySize();

    /** {@return the end-of-sequence token, if the tokenizer has one} */
    OptionalInt eosTokenId();

    /** {@return the padding token, if the tokenizer has one} */
    OptionalInt padTokenId();

    /**
     * {@return the tokens that end a generation}: every {@code eos_token_id} of the model's generation
     * configuration (one or a list, as Hugging Face {@code generate} stops on), with
     * {@link #eosTokenId()}; empty if the model names none
     */
    Set<Integer> stopTokenIds();

    /** {@return whether the model has a chat template} */
    boolean hasChatTemplate();

    /**
     * Renders chat messages with the model's chat template, as Hugging Face
     * {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=…, **variables)} does.
     * The ids of the prompt are {@link #encode} of the result (the template writes every special token
     * it wants, such as the beginning-of-sequence token).
     *
     * @param addGenerationPrompt whether to end with the opening of an assistant turn
     * @param variables extra template variables, e.g. {@code enable_thinking: false}; values are strings,
     *     numbers, booleans, lists and maps
     * @throws io.rlvr4j.api.config.ConfigException when the model has no chat template or it cannot be
     *     rendered, naming the template's file and the reason
     */
    String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables);

    /** Releases native resources, if any. */
    @Override
    default void close() {
    }
}
