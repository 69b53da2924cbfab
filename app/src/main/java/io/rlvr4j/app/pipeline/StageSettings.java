package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers the stages share: validated reads and checkpoint naming. */
final class StageSettings {

    private StageSettings() {}

    static int positive(Settings s, String key, int defaultValue) {
        int v = s.integer(key, defaultValue);
        if (v < 1) throw s.invalid(key, "must be >= 1");
        return v;
    }

    static double probability(Settings s, String key, double defaultValue) {
        double v = s.number(key, defaultValue);
        if (!(v > 0 && v <= 1)) throw s.invalid(key, "must be in (0, 1]");
        return v;
    }

    /**
     * Writes the training checkpoint {@code checkpoints/<stage>-step-<N>} ({@link Checkpoints#saveTraining}):
     * the {@code trained} models with their optimiser states, the data cursors, the model the stage
     * started from and {@code stageState}; then keeps the newest {@code keep} (and {@code resumedFrom},
     * the checkpoint the stage resumed from, if any, until the stage ends: {@link #saveFinal}).
     */
    static void checkpoint(RunContext ctx, Map<ModelRole, Policy> trained, String stage, long step, Map<String, Object> stageState, int keep,
                           Checkpoints.Saved resumedFrom) {
        Path dir = ctx.runDir.resolve("checkpoints");
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stage", stage);
        state.put("step", step);
        state.put("data_positions", ctx.data.positions());
        state.put("stage_start_model", ctx.currentModel.toString());
        state.put("stage_state", stageState);
        Checkpoints.saveTraining(trained, state, dir.resolve(String.format("%s-step-%06d", stage, step)), ctx.faults.at(stage, step));
        Checkpoints.prune(dir, stage + "-step-", keep, resumedFrom == null ? null : resumedFrom.dir());
    }

    /**
     * Writes the stage's final model to {@code models/<stage>}, prunes the stage's checkpoints to the
     * newest {@code keep}, and {@return the model's directory}
     */
    static Path saveFinal(RunContext ctx, Policy policy, String stage, long steps, int keep) {
        Path target = ctx.runDir.resolve("models").resolve(stage);
        Checkpoints.save(policy, Map.of("stage", stage, "step", steps, "data_positions", ctx.data.positions()), target);
        Checkpoints.prune(ctx.runDir.resolve("checkpoints"), stage + "-step-", keep);
        return target;
    }

    /**
     * {@return the band {@code [low, high]} at {@code key} (within [0, 1]), or {@code absent} when unset}
     *
     * @param what what the band keeps, with an example, for the error: "the accuracies of the groups kept, e.g. [0.2, 0.8]"
     */
    static double[] band(Settings s, String key, double[] absent, String what) {
        if (!s.has(key)) return absent;
        List<String> band = s.strings(key, List.of());
        double low;
        double high;
        try {
            if (band.size() != 2) throw new NumberFormatException();
            low = Double.parseDouble(band.get(0).trim());
            high = Double.parseDouble(band.get(1).trim());
        } catch (NumberFormatException e) {
            throw s.invalid(key, "expected [low, high], " + what);
        }
        if (!(low >= 0 && low <= high && high <= 1)) throw s.invalid(key, "expected 0 <= low <= high <= 1");
        return new double[] {low, high};
    }

    /** {@return the {@code stage_state} a stage saved in checkpoint {@code c}} */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stageState(Checkpoints.Saved c) {
        return c.state().get("stage_state") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** {@return the position the stage's data cursor had when the stage began, as checkpoint {@code c} saved it} */
    static long dataStart(Checkpoints.Saved c) {
        if (!(stageState(c).get("data_start") instanceof Number n)) {
            throw new IllegalStateException("checkpoint " + c.dir() + " is damaged: its " + Checkpoints.STATE + " has no stage_state.data_start");
        }
        return n.longValue();
    }

    /** {@return {@code checkpoint_every}, checked} */
    static int checkpointEvery(Settings s) {
        int v = s.integer("checkpoint_every", 0);
        if (v < 0) throw s.invalid("checkpoint_every", "must be >= 0 (0 = no checkpoints but the stage's final model)");
        return v;
    }

    /** {@return {@code keep_checkpoints}, checked} */
    static int keepCheckpoints(Settings s) {
        int v = s.integer("keep_checkpoints", 2);
        if (v < 0) throw s.invalid("keep_checkpoints", "must be >= 0 (0 = keep every checkpoint)");
        return v;
    }

    /** {@return the stage's facts about its data set: its name, the cursor's span and the epoch it ended in} */
    static Map<String, Object> dataFacts(String dataName, long from, io.rlvr4j.api.ProblemStream data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", dataName);
        m.put("from", from);
        m.put("to", data.position());
        long epoch = DataSets.epoch(data);
        if (epoch >= 0) m.put("epoch", epoch);
        return m;
    }
}
