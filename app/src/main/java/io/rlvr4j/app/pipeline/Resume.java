package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Continuing a run that stopped: reads its directory, checks that the configuration to continue with
 * is the one it ran (up to {@link #MAY_CHANGE}), and finds where to go on ({@link #point}): the first
 * stage not completed, from its newest complete checkpoint, or from its start when it has none.
 *
 * <p>Every check comes before anything in the run directory is written: a refused resume leaves the
 * directory as it was.
 *
 * <p>Resuming is exact because nothing random carries state from step to step: every draw (data
 * order, sampling, mini-batch splits, weight initialisation) is seeded by a function of the run seed,
 * the stage and the step, and all that does carry over (weights, optimiser moments and step counts,
 * data cursors, the algorithm's state such as an adaptive KL coefficient, the critic's and the PRM's
 * weights and optimisers) is in the checkpoint.
 */
final class Resume {

    /** The settings whose change leaves a resumed run equal to the one it continues. */
    static final List<String> MAY_CHANGE = List.of("run.reward_workers", "run.check_memory", "run.output_dir",
            "stages[*].checkpoint_every", "stages[*].keep_checkpoints");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path runDir;
    final ConfigTree tree;
    final RunState state;

    /** Where a resumed run goes on: the stage's index, its checkpoint (null: the stage's start), the data cursors then. */
    record Point(int stage, Checkpoints.Saved checkpoint, Map<String, Long> dataPositions) {}

    private Resume(Path runDir, ConfigTree tree, RunState state) {
        this.runDir = runDir;
        this.tree = tree;
        this.state = state;
    }

    /**
     * Reads run directory {@code runDir}, to continue it with {@code given} (null: the configuration it ran).
     *
     * @throws ConfigException when it is not a run directory, the run has completed, or {@code given}
     *     differs from the run's configuration in a setting outside {@link #MAY_CHANGE}
     */
    static Resume open(Path runDir, ConfigTree given) {
        Path dir = runDir.toAbsolutePath().normalize();
        Path config = dir.resolve("config.yaml");
        if (!Files.isDirectory(dir)) throw new ConfigException("", "cannot resume " + runDir + ": no such directory");
        if (!Files.isRegularFile(config) || !Files.isRegularFile(dir.resolve(RunState.FILE))) {
            throw new ConfigException("", "cannot resume " + runDir + ": not a run directory of rlvr4j (it has no "
                    + (Files.isRegularFile(config) ? RunState.FILE : "config.yaml") + "; `rlvr4j run` writes both when a run starts)");
        }
        RunState state;
        try {
            state = RunState.read(dir);
        } catch (IOException e) {
            throw new ConfigException("", "cannot resume " + runDir + ": " + RunState.FILE + " cannot be read: " + e.getMessage());
        }
        if (state.finished()) throw new ConfigException("", "cannot resume " + runDir + ": the run has completed every stage");
        ConfigTree saved = ConfigLoader.load(config);
        saved = new ConfigTree(saved.values(), saved.locations(), Path.of(state.configDir()), runDir + "/config.yaml");
        ConfigTree tree = given == null ? saved : given;
        if (given != null) {
            JsonNode was = json(saved.values());
            JsonNode now = json(given.values());
            List<String> changed = changes(was, now, "");
            if (!changed.isEmpty()) {
                String key = changed.getFirst();
                throw new ConfigException(key, given.locate(key) + ": cannot resume " + runDir + " with this configuration: " + key
                        + " is " + shown(now, key) + " here but " + shown(was, key) + " in the run (" + config + ")" + (changed.size() > 1 ? ", and so do " + String.join(", ", changed.subList(1, changed.size())) : "")
                        + ". A resumed run continues the same run exactly, so only " + String.join(", ", MAY_CHANGE)
                        + " may change; start a new run for another configuration.");
            }
        }
        return new Resume(dir, tree, state);
    }

    /**
     * {@return where to go on in {@code stages}}, the newest checkpoint checked against its manifest
     *
     * @throws ConfigException when the run has neither a completed stage nor a checkpoint, or its
     *     newest checkpoint is damaged
     */
    Point point(List<Stage> stages) {
        int k = state.completed().size();
        for (int i = 0; i < k; i++) {
            Object done = state.completed().get(i).get("name");
            if (i >= stages.size() || !stages.get(i).name().equals(done)) {
                throw new ConfigException("", "cannot resume " + runDir + ": its " + RunState.FILE + " lists stage " + done + " as stage " + (i + 1)
                        + ", which the configuration does not have there");
            }
        }
        if (k >= stages.size()) throw new ConfigException("", "cannot resume " + runDir + ": the run has completed every stage");
        Stage next = stages.get(k);
        Checkpoints.Saved c;
        try {
            c = Checkpoints.latest(runDir.resolve("checkpoints"), next.name());
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new ConfigException("", "cannot resume " + runDir + ": " + e.getMessage());
        }
        if (c == null && k == 0) {
            throw new ConfigException("", "cannot resume " + runDir + ": it has no checkpoint (the run stopped in its first stage, " + next.name()
                    + ", before writing one: set checkpoint_every on the stage), so there is nothing to continue; start it again with `rlvr4j run`");
        }
        if (c == null) return new Point(k, null, state.dataPositions());
        if (!state.currentModel().equals(c.state().get("stage_start_model"))) {
            throw new ConfigException("", "cannot resume " + runDir + ": checkpoint " + c.dir() + " was taken in a stage that started from "
                    + c.state().get("stage_start_model") + ", but " + RunState.FILE + " says stage " + next.name() + " starts from " + state.currentModel());
        }
        return new Point(k, c, positions(c));
    }

    /** Reads back the data sets that the stages before {@code point} made ({@code datasets/<output>.jsonl}). */
    void refill(List<Stage> stages, Point point, DataSets data) {
        for (Stage stage : stages.subList(0, point.stage())) {
            if (!(stage instanceof SamplingStage made)) continue;
            Path file = runDir.resolve("datasets").resolve(made.output + ".jsonl");
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("", "cannot resume " + runDir + ": stage " + stage.name() + " completed, but the data set it made, "
                        + file + ", is missing");
            }
            try {
                data.fill(made.output, ProblemFiles.read(file));
            } catch (IllegalStateException | UncheckedIOException e) {
                throw new ConfigException("", "cannot resume " + runDir + ": " + e.getMessage());
            }
        }
    }

    private Map<String, Long> positions(Checkpoints.Saved c) {
        if (!(c.state().get("data_positions") instanceof Map<?, ?> m)) {
            throw new ConfigException("", "cannot resume " + runDir + ": checkpoint " + c.dir() + " has no data_positions");
        }
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
        return out;
    }

    /**
     * Cuts {@code metrics.jsonl} back to the lines of the completed stages and of the resumed stage's steps
     * up to its checkpoint, so that the resumed run appends each later step once.
     */
    void truncateMetrics(List<Stage> stages, Point point) {
        Path file = runDir.resolve("metrics.jsonl");
        if (!Files.exists(file)) return;
        Set<String> done = new HashSet<>();
        for (int i = 0; i < point.stage(); i++) done.add(stages.get(i).name());
        String current = stages.get(point.stage()).name();
        long upTo = point.checkpoint() == null ? 0 : point.checkpoint().step();
        Path tmp = runDir.resolve(".metrics.jsonl.tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // the half-written last line of a killed run
                }
                if (n == null || !n.has("stage")) continue;
                String stage = n.get("stage").asText();
                if (done.contains(stage) || (stage.equals(current) && n.path("step").asLong(Long.MAX_VALUE) <= upTo)) {
                    out.write(line);
                    out.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    /** {@return the value at dotted {@code key} of {@code root}, as YAML would show it} */
    private static String shown(JsonNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^\\[]*)((?:\\[\\d+])*)").matcher(part);
            if (!m.matches() || n == null) return "(not set)";
            if (!m.group(1).isEmpty()) n = n.get(m.group(1));
            for (String index : m.group(2).replace("[", " ").replace("]", " ").trim().split("\\s+")) {
                if (!index.isEmpty() && n != null) n = n.get(Integer.parseInt(index));
            }
        }
        return n == null || n.isMissingNode() ? "(not set)" : n.toString();
    }

    private static JsonNode json(Map<String, Object> values) {
        try {
            // through YAML as config.yaml was written, so that both sides have the same types
            YAMLMapper yaml = new YAMLMapper();
            return yaml.readTree(yaml.writeValueAsString(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the dotted keys under which {@code a} and {@code b} differ, outside {@link #MAY_CHANGE}} */
    static List<String> changes(JsonNode a, JsonNode b, String at) {
        List<String> out = new ArrayList<>();
        if (mayChange(at)) return out;
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) out.addAll(changes(a.get(k), b.get(k), at.isEmpty() ? k : at + "." + k));
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            for (int i = 0; ia.hasNext(); i++) out.addAll(changes(ia.next(), ib.next(), at + "[" + i + "]"));
        } else if (a == null || b == null || !a.equals(b)) {
            out.add(at);
        }
        return out;
    }

    private static boolean mayChange(String key) {
        String general = key.replaceAll("^stages\\[\\d+]", "stages[*]");
        return MAY_CHANGE.contains(general);
    }
}
