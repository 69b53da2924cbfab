package io.rlvr4j.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.fixture.DeviceChoiceCheck;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens chosen in the ONNX graph equal those the Java sampler chooses from the same session's logits. */
class OnnxSamplingTest {

    @Test
    void tokensChosenInTheGraphEqualTheJavaSamplers() {
        try (OnnxSampler sampler = OnnxSampler.open(Qwen2Reference.fixture("qwen2-tiny"), Settings.of(Map.of("threads", 1)))) {
            List<int[]> prompts = DeviceChoiceCheck.prompts(48, sampler.tokenizer().vocabularySize() - 4, 3);
            long compared = DeviceChoiceCheck.check(sampler::generate, prompts, 20);
            assertThat(compared).isEqualTo(7L * 48 * 20);
        }
    }

    @Test
    void atALargeVocabularyNucleiBeyondTheCandidatesAreDrawnFromTheWholeRow() {
        try (OnnxSampler sampler = OnnxSampler.open(Qwen2Reference.fixture("qwen2-vocab4096"), Settings.of(Map.of("threads", 1)))) {
            List<int[]> prompts = DeviceChoiceCheck.prompts(16, 4000, 5);
            long compared = DeviceChoiceCheck.check(sampler::generate, prompts, 8);
            assertThat(compared).isEqualTo(7L * 16 * 8);
        }
    }
}
