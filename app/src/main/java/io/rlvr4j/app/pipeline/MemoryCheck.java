package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.RolloutEngine;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The memory a run's models will hold, added up before it starts: per stage, the models it holds at
 * once (as the backend estimates each: weights, and gradients and optimiser state where trained) and
 * the rollout engine's, which lives through the run. A run whose largest stage would pass the
 * machine's memory is refused, saying what would not fit, unless {@code run.check_memory} is false;
 * activations and the runtime come on top of the estimate, so the estimate passing is no promise.
 */
final class MemoryCheck {

    private MemoryCheck() {}

    /**
     * Estimates the run and prints the estimate.
     *
     * @param modelDir the initial model's directory (a fresh model's files without weights will do)
     * @throws ConfigException when the estimate passes the machine's memory and {@code enforce}
     */
    static void check(List<Stage> stages, Path modelDir, PolicyBackend backend, Settings policyS, RolloutEngine engine, Settings rolloutS,
                      boolean enforce, PrintStream out) {
        long engineBytes = 0;
        String engineName = null;
        if (engine != null) {
            OptionalLong e = engine.memoryEstimate(modelDir, rolloutS);
            if (e.isEmpty()) return;
            engineBytes = e.getAsLong();
            engineName = engine.name();
        }
        long worst = -1;
        String worstStage = null;
        List<String> worstParts = List.of();
        for (Stage stage : stages) {
            long bytes = engineBytes;
            List<String> parts = new ArrayList<>();
            for (Map.Entry<ModelRole, OptimizerSpec> m : stage.models().entrySet()) {
                OptionalLong b = backend.memoryEstimate(new PolicySpec(modelDir, PolicySpec.Init.LOAD, m.getKey(), m.getValue(), 0), policyS);
                if (b.isEmpty()) return; // the backend cannot say: nothing to check
                bytes += b.getAsLong();
                parts.add(Settings.configName(m.getKey()) + (m.getValue() != null ? " (trained)" : "") + " " + gb(b.getAsLong()));
            }
            if (engineName != null) parts.add("rollout engine " + engineName + " " + gb(engineBytes));
            if (bytes > worst) {
                worst = bytes;
                worstStage = stage.name();
                worstParts = parts;
            }
        }
        if (worstStage == null) return;
        OptionalLong available = physicalMemory();
        String line = "memory estimate " + gb(worst) + " (stage " + worstStage + ": " + String.join(", ", worstParts) + ")"
                + (available.isPresent() ? " of this machine's " + gb(available.getAsLong()) : "");
        if (available.isPresent() && worst > available.getAsLong() && enforce) {
            throw new ConfigException("run.check_memory", "the run would not fit this machine: " + line + ", before activations."
                    + " Use a smaller model, fewer models at once (kl_coef 0 needs no reference model), another rollout engine,"
                    + " or a larger machine; run.check_memory: false runs it anyway");
        }
        out.println("rlvr4j: " + line + ", before activations");
    }

    /**
     * {@return the memory this process may use}: the machine's ({@code MemTotal} of
     * {@code /proc/meminfo}), or its control group's limit where lower; empty where neither can be read
     */
    static OptionalLong physicalMemory() {
        long total = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) total = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
            Path limit = Path.of("/sys/fs/cgroup/memory.max");
            if (Files.isReadable(limit)) {
                String v = Files.readString(limit).trim();
                if (v.matches("\\d+")) total = total < 0 ? Long.parseLong(v) : Math.min(total, Long.parseLong(v));
            }
        } catch (IOException | NumberFormatException e) {
            return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
        }
        return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
    }

    private static String gb(long bytes) {
        return bytes < 1e9 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
