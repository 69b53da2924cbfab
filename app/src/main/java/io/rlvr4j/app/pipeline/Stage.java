package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import java.util.Map;

/** One step of a run's pipeline: SFT, RL or evaluation. Configured, validated, then run. */
interface Stage {

    /** {@return the stage's unique name, e.g. {@code rl}} */
    String name();

    /** {@return {@code sft}, {@code rl} or {@code eval}} */
    String type();

    /**
     * {@return the models the stage holds open at once, by role, each with the optimiser it trains with
     * (null for a frozen one)}: what the run's memory check adds up before it starts
     */
    Map<ModelRole, OptimizerSpec> models();

    /**
     * Runs the stage, from its start or, when {@code resume} is given, from the step after that
     * checkpoint's (the run has moved the data cursors back to where they were then).
     *
     * @param resume a checkpoint of this stage, or null
     * @return facts for {@code summary.json} (steps run …)
     */
    Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) throws Exception;
}
