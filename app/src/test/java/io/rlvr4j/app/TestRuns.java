package io.rlvr4j.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs of the command line in a test, and the small supervised start the slow RL tests share. */
final class TestRuns {

    /** A 105k-parameter Qwen2 (head_dim 16, which every rollout engine takes). */
    static final String MODEL = "{hidden_size: 64, intermediate_size: 192, num_hidden_layers: 2, num_attention_heads: 4,"
            + " num_key_value_heads: 2, max_position_embeddings: 64, tie_word_embeddings: true}";

    /**
     * How much an 80-step RL run ({@link #rl}) must raise the fraction of correct samples, last 20 steps
     * over first 10: four standard errors of a run that does not learn (10 x 256 and 20 x 256 samples at
     * p ~ 0.35). A run is deterministic on one machine, but its trajectory follows the CPU's float
     * kernels, so the rise differs between machines (RLOO: 0.17 on an earlier CI machine, 0.08 on today's).
     */
    static final double LEARNED = 0.05;

    private TestRuns() {}

    /** Runs the command line with {@code args}, asserts it succeeded, and {@return its console output} */
    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = io.rlvr4j.app.cli.RootCommand.commandLine().execute(args);
        } finally {
            System.setOut(previous);
        }
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(console).isZero();
        return console;
    }

    /** {@return the run directory of the run {@code name} under {@code runs}} */
    static Path runDir(Path runs, String name) throws Exception {
        try (var s = Files.list(runs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
        }
    }

    /** {@return the values of {@code metric} in the run's {@code metrics.jsonl}}, line by line (lines without it skipped) */
    static List<Double> metric(Path runDir, String metric) throws Exception {
        List<Double> values = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            var value = json.readTree(line).get(metric);
            if (value != null) values.add(value.asDouble());
        }
        return values;
    }

    /** {@return the mean of {@code values[from, to)}} */
    static double mean(List<Double> values, int from, int to) {
        return values.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /**
     * The shared start of the RL tests: 1,000 SFT steps of {@link #MODEL} on one- and two-operation
     * problems (about 20 s); {@return its model directory}
     */
    static Path supervisedStart(Path tmp) throws Exception {
        Path config = tmp.resolve("sft.yaml");
        Files.writeString(config, """
                run: {name: sft, output_dir: %s, seed: 3}
                model: {init: fresh, tokenizer: ascii-chars, architecture: %s}
                policy: {backend: djl, device: cpu, micro_batch_size: 64}
                rewards: [{name: math}]
                data:
                  train: {source: arithmetic, split: train, seed: 1, min_ops: 1, max_ops: 2, max_operand: 9, answer_only_fraction: 0.5}
                stages:
                  - {type: sft, data: train, steps: 1000, batch_size: 32, optimizer: {lr: 3.0e-3, warmup_steps: 20, weight_decay: 0.0}}
                """.formatted(tmp.resolve("runs"), MODEL));
        run("run", config.toString());
        return runDir(tmp.resolve("runs"), "sft").resolve("models/sft");
    }

    /**
     * An RL run on {@code start}: 80 steps of 32 prompts x 8 samples of one- and two-operation
     * problems with {@code algorithm} (a YAML/JSON mapping), {@code refillRounds} and the {@code rollout}
     * section; {@return its run directory}
     */
    static Path rl(Path tmp, String name, Path start, String rewards, String algorithm, int refillRounds, String rollout) throws Exception {
        Path config = tmp.resolve(name + "-rl.yaml");
        Files.writeString(config, """
                run: {name: %s, output_dir: %s, seed: 3}
                model: {path: %s}
                policy: {backend: djl, device: cpu, micro_batch_size: 64}
                rollout: %s
                rewards: %s
                data:
                  train: {source: arithmetic, split: train, seed: 5, min_ops: 1, max_ops: 2, max_operand: 9}
                stages:
                  - type: rl
                    data: train
                    steps: 80
                    prompts_per_step: 32
                    n: 8
                    sampling: {temperature: 1.0, max_new_tokens: 40}
                    refill_rounds: %d
                    algorithm: %s
                    optimizer: {lr: 1.0e-3, weight_decay: 0.0}
                """.formatted(name, tmp.resolve("runs"), start, rollout, rewards, refillRounds, algorithm));
        run("run", config.toString());
        return runDir(tmp.resolve("runs"), name);
    }
}
