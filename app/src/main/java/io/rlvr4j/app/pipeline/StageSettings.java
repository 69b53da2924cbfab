package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Policy;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
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

    /** Writes {@code checkpoints/<stage>-step-<N>} and keeps the newest {@code keep}. */
    static void checkpoint(RunContext ctx, Policy policy, String stage, long step, long dataPosition, int keep) {
        Path dir = ctx.runDir.resolve("checkpoints");
        Checkpoints.save(policy, Map.of("stage", stage, "step", step, "data_position", dataPosition),
                dir.resolve(String.format("%s-step-%06d", stage, step)));
        Checkpoints.prune(dir, stage + "-step-", keep);
    }

    /** Writes the stage's final model to {@code models/<stage>} and {@return its directory} */
    static Path saveFinal(RunContext ctx, Policy policy, String stage, long steps, long dataPosition) {
        Path target = ctx.runDir.resolve("models").resolve(stage);
        Checkpoints.save(policy, Map.of("stage", stage, "step", steps, "data_position", dataPosition), target);
        return target;
    }
}
