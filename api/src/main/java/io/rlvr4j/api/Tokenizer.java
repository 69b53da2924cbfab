package io.rlvr4j.api;

import java.util.OptionalInt;

/** Text to token ids and back. Thread-safe. */
public interface Tokenizer {

    /** {@return the token ids of {@code text}, without special tokens added} */
    int[] encode(String text);

    /** {@return the text of {@code ids}, special tokens skipped} */
    String decode(int[] ids);

    /** {@return the number of token ids} */
    int vocabularySize();

    /** {@return the end-of-sequence token, if the tokenizer has one} */
    OptionalInt eosTokenId();

    /** {@return the padding token, if the tokenizer has one} */
    OptionalInt padTokenId();
}
