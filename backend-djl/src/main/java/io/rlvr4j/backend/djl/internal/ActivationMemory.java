package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The memory a training pass's autograd graph holds, and the refusal of a pass that would not fit.
 *
 * <p>Per token and layer the graph keeps about ten float32 vectors of the hidden width (the residual
 * stream, both norms' inputs and outputs, q/k/v, the rotated q and k, the attention output) and six
 * of the MLP width (gate, up, their activation and product, the down projection's input), and per
 * token, layer and head three attention rows of the sequence's width (scores, mask, softmax); the
 * output layer adds four float32 rows of the vocabulary for each position of one logits chunk.
 * Measured on a Qwen2.5-0.5B shape (24 layers, hidden 896, MLP 4,864) with {@code bench train}: 4 x 80
 * and 8 x 80 tokens peaked at 13.26 and 14.42 GB resident, 3.6 MB a token; this estimate gives 4.0 MB.
 */
final class ActivationMemory {

    private ActivationMemory() {
    }

    /** {@return the bytes of the graph of one training pass of {@code rows} sequences of {@code width} tokens} */
    static long trainingBytes(DecoderConfig c, int rows, int width, int chunkTokens) {
        long tokens = (long) rows * width;
        long perTokenLayer = 10L * c.hiddenSize() + 6L * c.intermediateSize() + 3L * c.numHeads() * width;
        long logits = 4L * Math.min(tokens, chunkTokens) * c.vocabSize();
        return 4 * (tokens * c.numLayers() * perTokenLayer + logits);
    }

    /**
     * Refuses a training pass whose graph would not fit in {@code available} bytes, before it is
     * built: the kernel would otherwise end the process without a word.
     *
     * @throws IllegalStateException naming the settings that make passes smaller
     */
    static void require(DecoderConfig c, int rows, int width, int chunkTokens, OptionalLong available) {
        if (available.isEmpty()) return;
        long need = trainingBytes(c, rows, width, chunkTokens);
        if (need <= available.getAsLong()) return;
        long perToken = Math.max(1, trainingBytes(c, 1, width, chunkTokens) / width);
        long fits = available.getAsLong() * 8 / 10 / perToken;
        throw new IllegalStateException(String.format(Locale.ROOT,
                "a training pass of %d sequences x %d tokens needs about %.1f GB for its activations, and %.1f GB of memory is available:"
                        + " set policy.micro_batch_tokens to %d or fewer (or a smaller policy.micro_batch_size)%s",
                rows, width, need / 1e9, available.getAsLong() / 1e9, Math.max(0, fits),
                fits < width ? "; a single sequence of " + width + " tokens does not fit: shorten max_new_tokens or use a larger machine" : ""));
    }

    /** {@return the memory the kernel can still give this process}: {@code MemAvailable} of {@code /proc/meminfo}, empty where unreadable */
    static OptionalLong available() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return OptionalLong.of(Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
