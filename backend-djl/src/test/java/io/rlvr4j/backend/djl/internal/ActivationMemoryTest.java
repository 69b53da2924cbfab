package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.backend.hf.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationMemoryTest {

    /** Qwen2.5-0.5B's shape. */
    private static DecoderConfig halfB(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896,
                 "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2,
                 "max_position_embeddings": 32768, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": true,
                 "torch_dtype": "bfloat16"}
                """);
        return DecoderConfig.read(dir);
    }

    @Test
    void theEstimateIsWithinFifteenPercentOfTheMeasuredGrowthPerToken(@TempDir Path dir) throws IOException {
        DecoderConfig c = halfB(dir);
        // rlvr4j bench train --model <that shape> --batch 4|8 --prompt-tokens 16 --new-tokens 64 --set policy.micro_batch_size=4|8:
        // peaks of 13.26 and 14.42 GB resident, 1.16 GB more for 320 more tokens (ActivationMemory's doc)
        double measuredPerToken = (14.42e9 - 13.26e9) / 320;
        double estimatedPerToken = (ActivationMemory.trainingBytes(c, 8, 80, 110) - ActivationMemory.trainingBytes(c, 4, 80, 110)) / 320.0;
        assertThat(estimatedPerToken).isCloseTo(measuredPerToken, within(0.15 * measuredPerToken));
        assertThat(ActivationMemory.trainingBytes(c, 1, 4096, 110)).as("attention rows grow with the width")
                .isGreaterThan(4096 * ActivationMemory.trainingBytes(c, 1, 80, 110) / 80);
    }

    @Test
    void aPassThatWouldNotFitIsRefusedNamingTheSetting(@TempDir Path dir) throws IOException {
        DecoderConfig c = halfB(dir);
        long need = ActivationMemory.trainingBytes(c, 32, 256, 110);
        ActivationMemory.require(c, 32, 256, 110, OptionalLong.of(need)); // fits exactly
        ActivationMemory.require(c, 32, 256, 110, OptionalLong.empty()); // unknown: not refused
        assertThatThrownBy(() -> ActivationMemory.require(c, 32, 256, 110, OptionalLong.of(10_000_000_000L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 sequences x 256 tokens")
                .hasMessageContaining("10.0 GB of memory is available")
                .hasMessageContaining("set policy.micro_batch_tokens to ")
                .hasMessageNotContaining("does not fit");
        assertThatThrownBy(() -> ActivationMemory.require(c, 1, 32768, 110, OptionalLong.of(10_000_000_000L)))
                .hasMessageContaining("a single sequence of 32768 tokens does not fit");
    }

    @Test
    void theSuggestedBudgetFits(@TempDir Path dir) throws IOException {
        DecoderConfig c = halfB(dir);
        long available = 10_000_000_000L;
        String message = org.assertj.core.api.Assertions.catchThrowable(() -> ActivationMemory.require(c, 32, 512, 110, OptionalLong.of(available))).getMessage();
        int budget = Integer.parseInt(message.replaceAll(".*micro_batch_tokens to (\\d+).*", "$1"));
        int rows = budget / 512;
        assertThat(rows).isPositive();
        ActivationMemory.require(c, rows, 512, 110, OptionalLong.of(available));
    }
}
