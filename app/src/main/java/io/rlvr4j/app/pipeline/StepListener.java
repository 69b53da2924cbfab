package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.SamplingParams;
import java.util.Map;

/**
 * What an RL stage's loop calls around each step: the controllers ({@link LengthCurriculum},
 * {@link TemperatureController}) and monitors ({@link KlMonitor}). A listener with state gives it to
 * the stage's checkpoints ({@link #state}) and takes it back when the stage resumes ({@link #restore}).
 */
interface StepListener {

    /** {@return the name its state is saved under} */
    String name();

    /** {@return the sampling parameters of step {@code step}}, given those it would otherwise use */
    default SamplingParams beforeStep(long step, SamplingParams params) {
        return params;
    }

    /** Sees step {@code step}'s rollouts and metrics after the update; may add metrics. */
    default void afterStep(long step, RolloutCollector.Batch batch, Map<String, Double> metrics) {}

    /** {@return what it carries from step to step, as JSON-writable values} */
    default Map<String, Object> state() {
        return Map.of();
    }

    /** Sets the state {@link #state} gave. */
    default void restore(Map<String, Object> state) {}
}
