package io.rlvr4j.api.objective;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * The implicit process reward model loss of PRIME (Cui et al. 2025, arXiv:2502.01456): the PRM is a
 * language model whose token rewards are {@code beta * (logp - refLogp)}; their sum is trained as a
 * logit of the outcome with binary cross-entropy:
 * <pre>
 *   loss = mean over sequences of BCE(sigmoid(beta * sum_t (logp_t - refLogp_t)), label)
 * </pre>
 * Both models are read at temperature 1 whatever the rollouts were sampled at (as PRIME's
 * implementation in verl does): {@code beta} scales the model's own log-ratio.
 *
 * @param outcomeLabels one label in [0, 1] per sequence (1 = verified correct)
 * @param beta the reward scale
 * @param refLogProbs per-token log-probs of the PRM's reference model
 */
public record ImplicitPrmObjective(List<TokenSequence> sequences, float[] outcomeLabels, double beta,
                                   float[][] refLogProbs) implements Objective {

    public ImplicitPrmObjective {
        sequences = List.copyOf(sequences);
        Objects.requireNonNull(outcomeLabels, "outcomeLabels");
        if (outcomeLabels.length != sequences.size()) {
            throw new IllegalArgumentException(outcomeLabels.length + " labels for " + sequences.size() + " sequences");
        }
        Objective.checkPerToken("refLogProbs", sequences, refLogProbs);
        if (!(beta > 0)) throw new IllegalArgumentException("beta must be > 0, but is: " + beta);
    }

    /** {@return the reference loss of one sequence given {@code sum_t (logp_t - refLogp_t)}} */
    public double sequenceLoss(double logRatioSum, double label) {
        double z = beta * logRatioSum;
        // BCE with logits, stable: max(z, 0) - z * y + log(1 + exp(-|z|))
        return Math.max(z, 0) - z * label + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
