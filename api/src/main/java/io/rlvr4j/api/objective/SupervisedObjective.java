package io.rlvr4j.api.objective;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * Negative log-likelihood of the response tokens (SFT, rejection-sampling distillation); the prompt
 * is context only.
 *
 * @param aggregation how token losses are combined
 * @param budget the constant of {@link LossAggregation#SEQ_MEAN_TOKEN_SUM_NORM}
 */
public record SupervisedObjective(List<TokenSequence> sequences, LossAggregation aggregation, int budget)
        implements Objective {

    public SupervisedObjective {
        sequences = List.copyOf(sequences);
        Objects.requireNonNull(aggregation, "aggregation");
        if (budget < 1) throw new IllegalArgumentException("budget must be >= 1, but is: " + budget);
    }

    /** {@return the usual SFT loss: mean negative log-likelihood over all response tokens} */
    public static SupervisedObjective tokenMean(List<TokenSequence> sequences) {
        return new SupervisedObjective(sequences, LossAggregation.TOKEN_MEAN, 1);
    }
}
