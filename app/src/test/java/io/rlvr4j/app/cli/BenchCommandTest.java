package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.app.bench.VerifierMix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlvr4j bench verifier} with the real math plugin, on short durations: the figures' shape, not their size. */
class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theBuiltInWorkloadIsTheWholeTableMostlyInsideWorkedSolutions() {
        List<VerifierMix.Task> tasks = VerifierMix.builtIn("math");
        assertThat(tasks).hasSizeGreaterThan(900);
        long boxed = tasks.stream().filter(t -> t.response().contains("\\boxed{")).count();
        assertThat(boxed).isEqualTo(tasks.size() - tasks.size() / 4);
        assertThat(tasks.get(0).response()).hasSizeGreaterThan(1000).endsWith("$\\boxed{42}$.");
        assertThat(tasks.get(0).problem().answer()).isEqualTo("42");
    }

    @Test
    void reportsLayersThroughputAndTargetsAsJson() throws Exception {
        Path in = tmp.resolve("cases.jsonl");
        Files.writeString(in, """
                {"gold": "72", "pred": "so \\\\boxed{72}"}
                {"gold": "\\\\frac{3}{4}", "pred": "\\\\boxed{0.75}"}
                {"gold": "x^2+2x+1", "pred": "\\\\boxed{(x+1)^2}"}
                {"gold": "2", "pred": "I give up"}
                """);
        CliRun r = CliRun.of("bench", "verifier", "--input", in.toString(), "--warmup", "0.2", "--seconds", "0.3", "--threads", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("comparisons").asInt()).isEqualTo(4);
        assertThat(j.get("equal").asInt()).isEqualTo(3);
        assertThat(j.get("layers").fieldNames()).toIterable().containsExactly("string", "number", "symbolic", "no_answer");
        for (JsonNode layer : j.get("layers")) {
            assertThat(layer.get("p50_us").asDouble()).isPositive().isLessThanOrEqualTo(layer.get("p99_us").asDouble());
            assertThat(layer.get("p99_us").asDouble()).isLessThanOrEqualTo(layer.get("max_us").asDouble());
        }
        assertThat(j.get("warm_per_s").asDouble()).isPositive();
        assertThat(j.get("scaling").asDouble()).isEqualTo(j.get("parallel_per_s").asDouble() / j.get("warm_per_s").asDouble());
        assertThat(j.get("fast_target_ratio").asDouble()).isEqualTo(j.get("fast_per_s_per_core").asDouble() / 150_000);
        assertThat(j.has("upstream_agreement")).as("only the built-in workload measures agreement").isFalse();
        assertThat(j.has("symbolic_p99_target_ratio")).isTrue();
        assertThat(r.err()).contains("cold pass", "warm-up", "one thread", "2 threads");
    }

    @Test
    void theTableNamesTheTargets() {
        CliRun r = CliRun.of("bench", "verifier", "--warmup", "0", "--seconds", "0.2", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("built-in equivalence table", "cold start", "warm, 1 thread (base)", "symbolic",
                "string/number comparisons/s/core (>= 150,000)", "symbolic p99 ms (<= 5)", "agreement with upstream graders' cases", "331/348", "95.1%");
    }

    @Test
    void badOptionsAreClearErrors() {
        CliRun r = CliRun.of("bench", "verifier", "--seconds", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--seconds must be positive");
    }

    @Test
    void theCodeBenchJudgesTheBuiltInProgramsAndReportsEachSandbox() throws Exception {
        List<VerifierMix.Task> tasks = io.rlvr4j.app.bench.CodeVerifierBenchmark.builtIn(40);
        assertThat(tasks).hasSize(40).allSatisfy(t -> assertThat(t.problem().domain()).isEqualTo("code"));
        CliRun r = CliRun.of("bench", "verifier-code", "--sandbox", "graalvm", "--programs", "40", "--warmup", "0", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("programs").asInt()).isEqualTo(40);
        JsonNode graalvm = o.get("sandboxes").get("graalvm");
        assertThat(graalvm.get("programs_per_s").asDouble()).isPositive();
        assertThat(graalvm.get("ratio").asDouble()).isEqualTo(1.0);
        // one in four reference solutions is wrong on purpose; the others pass
        long buggy = tasks.stream().filter(t -> (Boolean) t.problem().metadata().get("buggy")).count();
        assertThat(graalvm.get("passed").asInt()).isBetween(40 - (int) buggy, 40);
        assertThat(o.get("target_ratio").asDouble()).isPositive();
    }

    @Test
    void theCodeBenchComparesTwoConfigurationsOfTheSameSandbox() {
        CliRun r = CliRun.of("bench", "verifier-code", "--sandbox", "graalvm,graalpy", "--programs", "12", "--warmup", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("graalvm", "graalpy", "ratios are to graalvm", "12 of 12 alike", "graalvm programs/s (>= 50 on 2 cores)");
    }
}
