package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the stages of one run share: the run directory, the plugins, the current model. */
final class RunContext {

    final Path runDir;
    final long seed;
    final PrintStream out;
    final PolicyBackend backend;
    final Settings policySettings;
    /** a separate rollout engine, or null when the policy generates by itself */
    final Sampler rolloutEngine;
    final Rewards rewards;
    final MetricsLog metrics;
    /** how problems become prompts */
    final PromptFormat prompts;
    /** the layout of the run's model directories */
    final ModelFormat format;
    /** the data sets, whose shared cursors a checkpoint saves */
    final DataSets data;
    /** where the crash-recovery tests stop the run */
    final FaultPoints faults;
    final Map<String, EvalResult> evaluations = new LinkedHashMap<>();
    /** the model the next stage starts from (while a stage runs: the model it started from) */
    Path currentModel;

    RunContext(Path runDir, long seed, PrintStream out, PolicyBackend backend, Settings policySettings,
               Sampler rolloutEngine, Rewards rewards, MetricsLog metrics, PromptFormat prompts, ModelFormat format, Path initialModel,
               DataSets data) {
        this.runDir = runDir;
        this.seed = seed;
        this.out = out;
        this.backend = backend;
        this.policySettings = policySettings;
        this.rolloutEngine = rolloutEngine;
        this.rewards = rewards;
        this.metrics = metrics;
        this.prompts = prompts;
        this.format = format;
        this.currentModel = initialModel;
        this.data = data;
        this.faults = FaultPoints.of(runDir);
    }

    /** {@return the current model opened in {@code role}, trainable when {@code optimizer} is given} */
    Policy open(ModelRole role, OptimizerSpec optimizer) {
        return backend.open(new PolicySpec(currentModel, PolicySpec.Init.LOAD, role, optimizer, seed), policySettings);
    }

    /**
     * {@return the model {@code role} of a stage, trainable with {@code optimizer}}: the current model,
     * or when the stage resumes from {@code checkpoint}, that checkpoint's model of the role with its
     * optimiser state
     */
    Policy open(ModelRole role, OptimizerSpec optimizer, Checkpoints.Saved checkpoint) {
        if (checkpoint == null || optimizer == null) return open(role, optimizer);
        Path dir = role == ModelRole.ACTOR ? checkpoint.dir() : checkpoint.dir().resolve(role.configName());
        Policy p = backend.open(new PolicySpec(dir, PolicySpec.Init.LOAD, role, optimizer, seed), policySettings);
        try {
            p.restoreTrainingState(checkpoint.dir().resolve("optimizer").resolve(role.configName()));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * Gives the rollout engine {@code policy}'s weights, lent ({@link Policy#lendWeights}): a backend
     * that lends views of its own memory has them copied once, into the engine. A backend that lends
     * host copies leaves them garbage once the engine has them, and a training step allocates too little
     * on the Java heap to bring the collection that would free them, so after a large model's copies
     * (over 256 MB) the heap is collected at once: without it, a 0.5B model's run kept a dead 2 GB copy a step.
     */
    void syncRolloutEngine(Policy policy) {
        long[] copied = {0};
        policy.lendWeights(weights -> {
            copied[0] = weights.values().stream().filter(w -> w.data().hasArray()).mapToLong(w -> 4L * w.size()).sum();
            rolloutEngine.loadWeights(weights);
        });
        if (copied[0] > (256L << 20)) System.gc();
    }

    /** {@return the sampling values the current model recommends} ({@link ModelFormat#samplingDefaults}) */
    Map<String, Double> samplingDefaults() {
        return format.samplingDefaults(currentModel);
    }

    /** {@return a seed for one use, derived from the run seed} */
    long seedFor(String stage, long step) {
        long h = seed * 0x9E3779B97F4A7C15L + stage.hashCode();
        return h * 31 + step;
    }
}
