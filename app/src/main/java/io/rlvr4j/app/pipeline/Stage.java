package io.rlvr4j.app.pipeline;

import java.util.Map;

/** One step of a run's pipeline: SFT, RL or evaluation. Configured, validated, then run. */
interface Stage {

    /** {@return the stage's unique name, e.g. {@code rl}} */
    String name();

    /** {@return {@code sft}, {@code rl} or {@code eval}} */
    String type();

    /**
     * Runs the stage.
     *
     * @return facts for {@code summary.json} (steps run …)
     */
    Map<String, Object> run(RunContext ctx) throws Exception;
}
