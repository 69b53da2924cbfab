package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9, then {@code rlvr4j resume}: a run of SFT then PPO (a critic, an adaptive KL coefficient,
 * two mini-batches, the temperature controller, a length curriculum) started in a child JVM, stopped at a point of a step and killed with SIGKILL, then
 * resumed, ends with the metrics (but for timings), the models and the evaluations of the same run
 * never interrupted, bit for bit.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path tmp;
    private Path config;
    private Path uninterrupted;

    @BeforeAll
    void uninterruptedRun() throws Exception {
        tmp = Files.createTempDirectory("rlvr4j-crash");
        config = tmp.resolve("crash.yaml");
        Files.writeString(config, """
                run: {name: crash, output_dir: %s, seed: 1}
                model:
                  init: fresh
                  architecture: {hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1,
                                 num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 96}
                policy: {backend: djl, device: cpu, micro_batch_size: 8}
                rewards: [{name: math, correct_reward: 1.0, wrong_reward: -0.5, no_answer_reward: -1.0}]
                data:
                  train: {source: arithmetic, split: train, seed: 1, min_ops: 1, max_ops: 1}
                  heldout: {source: arithmetic, split: eval, seed: 2, min_ops: 1, max_ops: 1}
                stages:
                  - {type: sft, data: train, steps: 150, batch_size: 16, optimizer: {lr: 3.0e-3}, checkpoint_every: 50}
                  - {type: eval, name: before_rl, data: heldout, problems: 4, n: 2, k: [1, 2], max_new_tokens: 24}
                  - type: rl
                    data: train
                    steps: 8
                    prompts_per_step: 2
                    n: 4
                    sampling: {max_new_tokens: 24}
                    checkpoint_every: 2
                    kl_monitor_every: 2
                    temperature_control: {target_entropy: 0.5, every: 3}
                    length_curriculum: [{from_step: 1, max_new_tokens: 20}, {from_step: 5, max_new_tokens: 24}]
                    algorithm: {name: ppo, kl_reward_coef: 0.05, kl_controller: adaptive, kl_target: 0.01, kl_horizon: 100, mini_batches: 2}
                  - {type: eval, name: after_rl, data: heldout, problems: 4, n: 2, k: [1, 2], max_new_tokens: 24}
                """.formatted(tmp.resolve("runs")));
        TestRuns.run("run", config.toString());
        uninterrupted = TestRuns.runDir(tmp.resolve("runs"), "crash");
        // the run must be one a wrong resume would show: rewards that vary, a KL coefficient that moves
        assertThat(TestRuns.metric(uninterrupted, "reward/mean").stream().distinct().count()).isGreaterThan(2);
        assertThat(TestRuns.metric(uninterrupted, "kl_reward/coef").stream().distinct().count()).isGreaterThan(2);
        assertThat(TestRuns.metric(uninterrupted, "temperature/value").stream().distinct().count()).isGreaterThan(1);
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"rl:3:rollout", "rl:5:reward", "rl:5:update", "rl:6:checkpoint", "sft:75:update"})
    void aRunKilledAndResumedEqualsTheUninterruptedRun(String point) throws Exception {
        Path runs = tmp.resolve("runs-" + point.replace(':', '-'));
        Path cfg = tmp.resolve(point.replace(':', '-') + ".yaml");
        Files.writeString(cfg, Files.readString(config).replace(tmp.resolve("runs").toString(), runs.toString()));
        Path runDir = killedAt(point, cfg, runs);
        String resumed = TestRuns.run("resume", runDir.toString());
        assertThat(resumed).contains("rlvr4j: resuming " + runDir);

        assertThat(metrics(runDir)).isEqualTo(metrics(uninterrupted));
        for (String model : List.of("init", "sft", "rl")) {
            assertThat(digest(runDir.resolve("models").resolve(model).resolve("model.safetensors"))).as(model)
                    .isEqualTo(digest(uninterrupted.resolve("models").resolve(model).resolve("model.safetensors")));
        }
        assertThat(evaluations(runDir)).isEqualTo(evaluations(uninterrupted));
        assertThat(JSON.readTree(runDir.resolve("summary.json").toFile()).get("status").asText()).isEqualTo("completed");
    }

    /** Runs {@code cfg} in a child JVM told to pause at {@code point}, kills it with SIGKILL there, and {@return its run directory} */
    private static Path killedAt(String point, Path cfg, Path runs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dai.djl.offline=true", "-Xss4m", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED,ai.djl.pytorch_engine,ai.djl.tokenizers,org.graalvm.truffle,com.microsoft.onnxruntime",
                "-Drlvr4j.test.pause_at=" + point,
                "--module-path", System.getProperty("jdk.module.path")));
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).reduce((a, b) -> a + File.pathSeparator + b).orElse("");
        if (!classPath.isEmpty()) cmd.addAll(List.of("--class-path", classPath));
        cmd.addAll(List.of("--add-modules", "ALL-MODULE-PATH", "--module", "io.rlvr4j.app/io.rlvr4j.app.Main", "run", cfg.toString()));
        Path log = cfg.resolveSibling(cfg.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (true) {
                Path marker = null;
                if (Files.isDirectory(runs)) {
                    try (Stream<Path> s = Files.list(runs)) {
                        marker = s.map(d -> d.resolve(".paused")).filter(Files::exists).findFirst().orElse(null);
                    }
                }
                if (marker != null) {
                    assertThat(Files.readString(marker)).isEqualTo(point);
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(p.exitValue()).isEqualTo(137);
                    return marker.getParent();
                }
                assertThat(p.isAlive()).as("the child ended before reaching %s:%n%s", point, Files.exists(log) ? Files.readString(log) : "").isTrue();
                assertThat(System.nanoTime()).as("the child did not reach %s in 180 s", point).isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<Map<String, Object>> metrics(Path runDir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            @SuppressWarnings("unchecked") Map<String, Object> m = JSON.readValue(line, Map.class);
            m.keySet().removeIf(k -> k.startsWith("timing_s/"));
            out.add(m);
        }
        return out;
    }

    /** {@return the run's evaluations without their wall times} */
    private static Map<String, String> evaluations(Path runDir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        JsonNode evals = JSON.readTree(runDir.resolve("summary.json").toFile()).get("evaluations");
        evals.properties().forEach(e -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).remove("wall_s");
            out.put(e.getKey(), e.getValue().toString());
        });
        return out;
    }

    private static String digest(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
