package io.rlvr4j.api.objective;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * The clipped policy-gradient loss of PPO (Schulman et al. 2017, arXiv:1707.06347) as RLOO, GRPO,
 * DAPO and PPO use it. Per response token, with {@code r = exp(logp - oldLogp)} and advantage {@code A}:
 * <pre>
 *   pg   = max(-A * r, -A * clip(r, 1 - clip.low, 1 + clip.high))
 *   pg   = min(pg, -A * dualClip)           if dualClip > 0 and A &lt; 0   (Ye et al. 2019, arXiv:1912.09729)
 *   loss = agg(pg) + kl.coefficient * agg(kl(logp, refLogp)) - entropyCoefficient * agg(entropy)
 * </pre>
 * Every log-prob and the entropy are those of {@code softmax(logits / temperature)}: the distribution
 * the rollouts were sampled from, as verl, OpenRLHF and TRL train (so {@code oldLogProbs} and
 * {@code refLogProbs} must be taken at the same temperature).
 *
 * @param sequences the sequences
 * @param advantages per-token advantages
 * @param oldLogProbs per-token log-probs of the policy that sampled them
 * @param refLogProbs per-token log-probs of the reference policy; {@code null} unless {@code kl} is active
 * @param clip the trust region
 * @param dualClip the dual-clip constant (&gt; 1), or 0 for none
 * @param kl the KL penalty
 * @param entropyCoefficient the entropy bonus (0 for none)
 * @param aggregation how token losses are combined
 * @param budget the constant of {@link LossAggregation#SEQ_MEAN_TOKEN_SUM_NORM}
 * @param temperature the sampling temperature the logits are divided by (&gt; 0)
 */
public record PolicyGradientObjective(List<TokenSequence> sequences, float[][] advantages, float[][] oldLogProbs,
                                      float[][] refLogProbs, ClipRange clip, double dualClip, KlPenalty kl,
                                      double entropyCoefficient, LossAggregation aggregation, int budget,
                                      double temperature)
        implements Objective {

    /** The objective at temperature 1, for rollouts sampled from the model's own distribution. */
    public PolicyGradientObjective(List<TokenSequence> sequences, float[][] advantages, float[][] oldLogProbs,
                                   float[][] refLogProbs, ClipRange clip, double dualClip, KlPenalty kl,
                                   double entropyCoefficient, LossAggregation aggregation, int budget) {
        this(sequences, advantages, oldLogProbs, refLogProbs, clip, dualClip, kl, entropyCoefficient, aggregation, budget, 1.0);
    }

    public PolicyGradientObjective {
        sequences = List.copyOf(sequences);
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(kl, "kl");
        Objects.requireNonNull(aggregation, "aggregation");
        Objective.checkPerToken("advantages", sequences, advantages);
        Objective.checkPerToken("oldLogProbs", sequences, oldLogProbs);
        if (kl.active()) {
            Objects.requireNonNull(refLogProbs, "refLogProbs are needed for an active KL penalty");
            Objective.checkPerToken("refLogProbs", sequences, refLogProbs);
        }
        if (dualClip != 0 && !(dualClip > 1)) throw new IllegalArgumentException("dual clip must be > 1 or 0 (off), but is: " + dualClip);
        if (!(entropyCoefficient >= 0)) throw new IllegalArgumentException("entropy coefficient must be >= 0, but is: " + entropyCoefficient);
        if (budget < 1) throw new IllegalArgumentException("budget must be >= 1, but is: " + budget);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, but is: " + temperature);
        }
    }

    /**
     * The reference value of the clipped policy-gradient term for one token, which backends must match.
     *
     * @return {@code pg} of the class formula
     */
    public double tokenPolicyLoss(double logProb, double oldLogProb, double advantage) {
        double ratio = Math.exp(logProb - oldLogProb);
        double clipped = Math.min(Math.max(ratio, 1 - clip.low()), 1 + clip.high());
        double pg = Math.max(-advantage * ratio, -advantage * clipped);
        if (dualClip > 0 && advantage < 0) pg = Math.min(pg, -advantage * dualClip);
        return pg;
    }
}
