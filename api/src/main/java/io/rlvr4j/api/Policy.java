package io.rlvr4j.api;

import io.rlvr4j.api.objective.Objective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An open, trainable model: it generates (it is a {@link Sampler}), scores token sequences, takes
 * optimiser steps on {@linkplain Objective objectives}, and saves itself in Hugging Face layout.
 * Not thread-safe; the caller closes it.
 */
public interface Policy extends Sampler {

    /** {@return a short description: architecture, parameter count, device} */
    String describe();

    /**
     * {@return for each sequence, the log-probability of each response token given what precedes
     * it} (no gradient). Row {@code i} has {@code sequences.get(i).responseLength()} entries.
     */
    default float[][] logProbs(List<TokenSequence> sequences) {
        return logProbs(sequences, 1.0);
    }

    /**
     * {@return the log-probabilities of {@link #logProbs(List)} under {@code softmax(logits / temperature)}}:
     * the distribution rollouts sampled at {@code temperature} were drawn from (before top-p/top-k)
     *
     * @param temperature &gt; 0
     */
    float[][] logProbs(List<TokenSequence> sequences, double temperature);

    /**
     * {@return for each sequence, the value-head output at each response token} (no gradient).
     *
     * @throws UnsupportedOperationException unless the policy was opened as {@link ModelRole#CRITIC}
     */
    float[][] values(List<TokenSequence> sequences);

    /**
     * Takes one optimiser step on {@code objective}, accumulating gradients over micro-batches as
     * the backend's settings say.
     *
     * @return statistics of the step, slash-namespaced ({@code loss}, {@code grad_norm},
     *     {@code clip_frac/low} …)
     * @throws IllegalStateException when the policy is frozen ({@link PolicySpec#optimizer()} null)
     */
    Map<String, Double> train(Objective objective);

    /** {@return the optimiser steps taken so far} */
    long steps();

    /** {@return every parameter under its Hugging Face name}, copied */
    Map<String, WeightTensor> exportWeights();

    /**
     * Calls {@code borrower} with every parameter under its Hugging Face name, as
     * {@link #exportWeights()} names them, without copying where the backend can: the tensors may be
     * read-only views of this policy's own memory, valid only until {@code borrower} returns. A weight
     * sync to a rollout engine goes this way ({@code lendWeights(engine::loadWeights)}), so that the
     * values are copied once, into the engine, and a large model's weights never exist a third time.
     * By default it lends {@link #exportWeights()}.
     */
    default void lendWeights(java.util.function.Consumer<Map<String, WeightTensor>> borrower) {
        borrower.accept(exportWeights());
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} to {@code dir}
     * (created if missing).
     */
    void save(Path dir);

    /**
     * Writes what training holds beyond the weights {@link #save} writes, to {@code dir} (created if
     * missing): the optimiser's moments and step counts, and the exact training weights where
     * {@link #save} rounds them to a narrower dtype. A policy opened from the saved model directory
     * that reads it back with {@link #restoreTrainingState} takes the same next step as this one would.
     *
     * @throws UnsupportedOperationException by default: a backend that cannot resume training exactly says so
     */
    default void saveTrainingState(Path dir) {
        throw new UnsupportedOperationException(describe() + ": this policy backend does not save its optimiser state, "
                + "so a run on it cannot be resumed exactly (set checkpoint_every: 0 to train without checkpoints)");
    }

    /**
     * Reads back what {@link #saveTrainingState} wrote, into a policy opened trainable from the model
     * directory saved beside it, with the same optimiser settings.
     *
     * @throws IllegalArgumentException when {@code dir} does not hold this model's training state
     * @throws UnsupportedOperationException by default
     */
    default void restoreTrainingState(Path dir) {
        throw new UnsupportedOperationException(describe() + ": this policy backend cannot restore an optimiser state");
    }
}
