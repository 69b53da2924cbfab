package io.rlvr4j.api.objective;

import io.rlvr4j.api.TokenSequence;
import java.util.List;

/**
 * What a backend minimises in one optimiser step: a small closed family that every trainable
 * backend implements, with the per-token arrays computed by the algorithm in plain Java. An
 * algorithm that needs something else asks for a backend's native handle and depends on it.
 *
 * <p>Every per-token array has one row per sequence and one entry per response token.
 */
public sealed interface Objective permits PolicyGradientObjective, ValueObjective, ImplicitPrmObjective, SupervisedObjective {

    /** {@return the sequences the objective is computed on} */
    List<TokenSequence> sequences();

    /** Checks that {@code rows} has one row per sequence, each as long as its response. */
    static void checkPerToken(String name, List<TokenSequence> sequences, float[][] rows) {
        if (rows.length != sequences.size()) {
            throw new IllegalArgumentException(name + " has " + rows.length + " rows for " + sequences.size() + " sequences");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != sequences.get(i).responseLength()) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + rows[i].length + " entries for a response of "
                        + sequences.get(i).responseLength() + " tokens");
            }
        }
    }
}
