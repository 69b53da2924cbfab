package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code rlvr4j bench train} and {@code bench rollout} with the real plugins, on a few short steps of a
 * small checkpoint: the figures' shape and their consistency with one another, not their size.
 */
class ModelBenchCommandTest {

    private static final Path FIXTURE = Path.of("../fixtures/qwen2-tiny").toAbsolutePath();

    @Test
    void trainReportsTheMedianStepTokensAndTheRooflineShare() throws Exception {
        CliRun r = CliRun.of("bench", "train", "--model", FIXTURE.toString(), "--batch", "4", "--prompt-tokens", "6", "--new-tokens", "10",
                "--warmup", "1", "--steps", "3", "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("parameters").asLong()).isPositive();
        JsonNode cpu = j.get("devices").get("cpu");
        double[] runs = new double[3];
        for (int i = 0; i < 3; i++) runs[i] = cpu.get("ms_runs").get(i).asDouble();
        java.util.Arrays.sort(runs);
        assertThat(cpu.get("ms_per_step").asDouble()).isEqualTo(runs[1]);
        assertThat(cpu.get("tokens_per_s").asDouble()).isCloseTo(4 * 16 / (runs[1] / 1e3), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(cpu.get("last_loss").asDouble()).isFinite();
        // the roofline: every weight product of the model timed at one micro-batch's rows
        assertThat(cpu.get("matmul_flops_per_s").fieldNames()).toIterable().containsExactly("qkv", "o", "gate_up", "down", "lm_head");
        assertThat(cpu.get("roofline_rows").asInt()).isEqualTo(64);
        assertThat(cpu.get("roofline_share").asDouble()).isGreaterThan(0).isLessThan(2);
        assertThat(r.err()).contains("bench train:", "on cpu: 4 x 16 tokens, 1 warm-up steps, 3 timed");
    }

    @Test
    void trainPrintsATable() {
        CliRun r = CliRun.of("bench", "train", "--batch", "2", "--prompt-tokens", "4", "--new-tokens", "4", "--warmup", "0", "--steps", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("training step of", "604,288 parameters", "2 x (4 + 4) tokens", "ms/step", "roofline GF/s", "share");
    }

    @Test
    void rolloutMeasuresEveryInstalledEngineOnAModelDirectory() throws Exception {
        CliRun r = CliRun.of("bench", "rollout", "--model", FIXTURE.toString(), "--batch", "4", "--new-tokens", "6", "--reps", "1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("engines").fieldNames()).toIterable().containsExactly("djl", "onnx");
        for (JsonNode e : j.get("engines")) {
            assertThat(e.get("tokens_per_s").asDouble()).isPositive();
            assertThat(e.get("roofline_share").asDouble()).isGreaterThan(0).isLessThan(2);
        }
        assertThat(j.get("vocab_size").asInt()).isEqualTo(64);
    }

    @Test
    void aBadNumberIsAClearError() {
        CliRun r = CliRun.of("bench", "train", "--steps", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--steps must be at least 1");
    }
}
