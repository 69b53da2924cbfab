package io.rlvr4j.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configured algorithm: turns scored rollout groups into optimiser steps. It never touches a
 * backend directly; it reads log-probs and values and hands back objectives through {@link Models}.
 */
public interface UpdateRule {

    /** {@return the model roles this rule needs; the loop opens them before the first step} */
    Set<ModelRole> requiredRoles();

    /**
     * {@return the fewest samples per prompt this rule can learn from}: a group baseline needs
     * company. The loop checks its {@code n} against it when the configuration is read, before any
     * stage runs.
     *
     * @implSpec The default is 1.
     */
    default int minSamplesPerPrompt() {
        return 1;
    }

    /**
     * {@return the fewest prompt groups an update can take}: a rule that splits a step's groups into
     * mini-batches needs one group per mini-batch. Like {@link #minSamplesPerPrompt}, the loop checks
     * its prompts per step against it when the configuration is read, before any stage runs (the groups
     * a filter leaves may still be fewer: the rule then takes fewer, larger steps).
     *
     * @implSpec The default is 1.
     */
    default int minGroupsPerStep() {
        return 1;
    }

    /**
     * Keeps the groups worth training on (dynamic sampling: drop groups whose scores are all equal,
     * an accuracy band …).
     *
     * @implSpec The default keeps every group.
     */
    default List<RolloutGroup> filter(List<RolloutGroup> groups) {
        return groups;
    }

    /**
     * Runs one RL update on {@code groups}: computes advantages, and trains the models through
     * {@code models}.
     *
     * @return statistics, slash-namespaced (e.g. {@code actor/pg_loss}, {@code advantage/mean})
     */
    Map<String, Double> update(List<RolloutGroup> groups, Models models);

    /**
     * {@return what the rule carries from one update to the next} (an adaptive KL coefficient, a count
     * of updates …), as JSON-writable values: a checkpoint saves it and {@link #restore} reads it back,
     * so that a resumed run continues exactly. A rule whose every update depends only on its input
     * has none.
     *
     * @implSpec The default is empty.
     */
    default Map<String, Object> state() {
        return Map.of();
    }

    /**
     * Sets the state a fresh rule of the same configuration had when {@link #state} gave {@code state}.
     *
     * @throws IllegalArgumentException when {@code state} lacks a value the rule needs
     * @implSpec The default accepts an empty state only.
     */
    default void restore(Map<String, Object> state) {
        if (!state.isEmpty()) throw new IllegalArgumentException("this algorithm keeps no state, but the checkpoint holds " + state.keySet());
    }

    /** The models of a run, as an algorithm sees them. */
    interface Models {

        /**
         * {@return per-response-token log-probs of {@code sequences} under the model in {@code role}, its
         * logits divided by {@code temperature}}: pass {@link #samplingTemperature()} for the actor and its
         * KL reference (the policy-gradient loss is taken at it), 1 for a model read as itself (PRIME's
         * implicit PRM and its reference)
         */
        float[][] logProbs(ModelRole role, List<TokenSequence> sequences, double temperature);

        /** {@return the softmax temperature the rollouts were sampled at} (&gt; 0) */
        double samplingTemperature();

        /** {@return per-response-token values of {@code sequences} under the critic} */
        float[][] values(List<TokenSequence> sequences);

        /** Takes one optimiser step of the model in {@code role}; {@return its statistics} */
        Map<String, Double> train(ModelRole role, io.rlvr4j.api.objective.Objective objective);
    }
}
