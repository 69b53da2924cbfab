package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelFormat;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Sampler;
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
    final Map<String, EvalResult> evaluations = new LinkedHashMap<>();
    /** the model the next stage starts from */
    Path currentModel;

    RunContext(Path runDir, long seed, PrintStream out, PolicyBackend backend, Settings policySettings,
               Sampler rolloutEngine, Rewards rewards, MetricsLog metrics, PromptFormat prompts, ModelFormat format, Path initialModel) {
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
    }

    /** {@return the current model opened in {@code role}, trainable when {@code optimizer} is given} */
    Policy open(ModelRole role, OptimizerSpec optimizer) {
        return backend.open(new PolicySpec(currentModel, PolicySpec.Init.LOAD, role, optimizer, seed), policySettings);
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
