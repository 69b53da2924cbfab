package io.rlvr4j.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rlvr4j resume} and {@code run --resume} on a small SFT run: a run put back to the state a crash
 * after a checkpoint leaves ends equal to the uninterrupted one; what cannot be resumed is refused with
 * its reason, and the run directory is left as it was. (The kill -9 tests, with RL, are
 * {@code io.rlvr4j.app.CrashResumeTest}.)
 */
class ResumeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path config() throws IOException {
        Path config = tmp.resolve("sft.yaml");
        Files.writeString(config, """
                run: {name: sft, output_dir: %s, seed: 5}
                model:
                  init: fresh
                  architecture: {hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1,
                                 num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 64}
                policy: {backend: djl, device: cpu, micro_batch_size: 8}
                rewards: [{name: math}]
                data:
                  train: {source: arithmetic, split: train, seed: 1, min_ops: 1, max_ops: 1}
                  heldout: {source: arithmetic, split: eval, seed: 2, min_ops: 1, max_ops: 1}
                stages:
                  - {type: sft, name: warmup, data: train, steps: 6, batch_size: 8, checkpoint_every: 2, optimizer: {lr: 3.0e-3, warmup_steps: 3}}
                  - {type: sft, name: more, data: train, steps: 3, batch_size: 8, optimizer: {lr: 1.0e-3}}
                  - {type: eval, name: after, data: heldout, problems: 3, n: 0, max_new_tokens: 16}
                """.formatted(tmp.resolve("runs")));
        return config;
    }

    private Path run(Path config) throws IOException {
        CliRun r = CliRun.of("run", config.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            return s.max(Path::compareTo).orElseThrow();
        }
    }

    /** Puts {@code runDir} back to what a kill during step 5 of the first stage leaves: no stage done, checkpoints up to step 4. */
    private static void crashInFirstStage(Path runDir) throws IOException {
        ObjectNode state = (ObjectNode) JSON.readTree(runDir.resolve("run-state.json").toFile());
        state.putArray("completed");
        state.put("finished", false);
        state.put("current_model", runDir.resolve("models/init").toString());
        state.putObject("data_positions").put("train", 0);
        state.putObject("evaluations");
        JSON.writeValue(runDir.resolve("run-state.json").toFile(), state);
    }

    @Test
    void aRunResumedFromACheckpointEndsBitForBitAsTheUninterruptedOne() throws Exception {
        Path config = config();
        Path uninterrupted = run(config);
        Path resumed = run(config);
        crashInFirstStage(resumed);
        assertThat(Files.list(resumed.resolve("checkpoints")).map(p -> p.getFileName().toString()).sorted())
                .containsExactly("warmup-step-000002", "warmup-step-000004");

        CliRun r = CliRun.of("resume", resumed.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("resuming " + resumed + " at stage warmup, step 5 (checkpoint checkpoints/warmup-step-000004)");

        assertThat(metrics(resumed)).isEqualTo(metrics(uninterrupted)).hasSize(9);
        for (String model : List.of("warmup", "more")) {
            assertThat(digest(resumed.resolve("models").resolve(model).resolve("model.safetensors")))
                    .as(model).isEqualTo(digest(uninterrupted.resolve("models").resolve(model).resolve("model.safetensors")));
        }
        var summary = JSON.readTree(resumed.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("stages").get(0).get("resumed_after_step").asInt()).isEqualTo(4);
        // the second stage read on from the first one's cursor
        assertThat(summary.get("stages").get(1).get("data").get("from").asInt()).isEqualTo(48);
        assertThat(summary.get("stages").get(1).get("data").get("to").asInt()).isEqualTo(72);
        assertThat(summary.get("evaluations").get("after").get("greedy_pass@1").asDouble())
                .isEqualTo(JSON.readTree(uninterrupted.resolve("summary.json").toFile()).get("evaluations").get("after").get("greedy_pass@1").asDouble());
    }

    @Test
    void whatCannotBeResumedIsRefusedAndLeftAsItWas() throws Exception {
        Path config = config();
        Path runDir = run(config);

        CliRun done = CliRun.of("resume", runDir.toString());
        assertThat(done.code()).isEqualTo(2);
        assertThat(done.err()).contains("the run has completed every stage");

        CliRun notARun = CliRun.of("resume", tmp.toString());
        assertThat(notARun.code()).isEqualTo(2);
        assertThat(notARun.err()).contains("not a run directory of rlvr4j (it has no config.yaml");

        crashInFirstStage(runDir);
        Map<String, String> before = files(runDir);

        CliRun changed = CliRun.of("run", config.toString(), "--set", "stages.warmup.batch_size=4", "--resume", runDir.toString());
        assertThat(changed.code()).isEqualTo(2);
        assertThat(changed.err()).contains("stages[0].batch_size is 4 here but 8 in the run");
        assertThat(files(runDir)).isEqualTo(before);

        Path damaged = runDir.resolve("checkpoints/warmup-step-000004/optimizer/actor/optimizer.safetensors");
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length - 3] ^= 1;
        Files.write(damaged, bytes);
        before = files(runDir);
        CliRun corrupt = CliRun.of("resume", runDir.toString());
        assertThat(corrupt.code()).isEqualTo(2);
        assertThat(corrupt.err()).contains("checkpoint " + runDir.resolve("checkpoints/warmup-step-000004") + " is damaged: the contents of "
                + "optimizer/actor/optimizer.safetensors differ", "delete " + runDir.resolve("checkpoints/warmup-step-000004"));
        assertThat(files(runDir)).isEqualTo(before);

        // a setting that may change (checkpoint_every) gets as far as the checkpoints, which are gone
        try (Stream<Path> s = Files.list(runDir.resolve("checkpoints"))) {
            for (Path c : s.toList()) io.rlvr4j.app.pipeline.Checkpoints.deleteTree(c);
        }
        before = files(runDir);
        CliRun none = CliRun.of("run", config.toString(), "--set", "stages.warmup.checkpoint_every=0", "--resume", runDir.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("it has no checkpoint (the run stopped in its first stage, warmup, before writing one");
        assertThat(files(runDir)).isEqualTo(before);
    }

    private static List<Map<String, Object>> metrics(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream().map(line -> {
            try {
                @SuppressWarnings("unchecked") Map<String, Object> m = JSON.readValue(line, Map.class);
                m.keySet().removeIf(k -> k.startsWith("timing_s/"));
                return m;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    /** {@return every file under {@code dir} by relative path, with its SHA-256} */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) out.put(dir.relativize(f).toString(), digest(f));
        }
        return out;
    }

    private static String digest(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
