package io.rlvr4j.api.objective;

import io.rlvr4j.api.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * The clipped value loss of a PPO critic, per response token:
 * <pre>
 *   v_clipped = oldValue + clamp(v - oldValue, -valueClip, valueClip)
 *   loss      = 0.5 * max((v - R)^2, (v_clipped - R)^2)      (without clipping when valueClip = 0)
 * </pre>
 *
 * @param returns per-token return targets {@code R}
 * @param oldValues per-token values of the critic before the update
 * @param valueClip the clip range of the value change, 0 for none
 */
public record ValueObjective(List<TokenSequence> sequences, float[][] returns, float[][] oldValues, double valueClip,
                             LossAggregation aggregation, int budget) implements Objective {

    public ValueObjective {
        sequences = List.copyOf(sequences);
        Objects.requireNonNull(aggregation, "aggregation");
        Objective.checkPerToken("returns", sequences, returns);
        Objective.checkPerToken("oldValues", sequences, oldValues);
        if (!(valueClip >= 0)) throw new IllegalArgumentException("value clip must be >= 0, but is: " + valueClip);
        if (budget < 1) throw new IllegalArgumentException("budget must be >= 1, but is: " + budget);
    }

    /** {@return the reference loss of one token, which backends must match} */
    public double tokenLoss(double value, double oldValue, double ret) {
        double unclipped = (value - ret) * (value - ret);
        if (valueClip == 0) return 0.5 * unclipped;
        double v = oldValue + Math.max(-valueClip, Math.min(valueClip, value - oldValue));
        return 0.5 * Math.max(unclipped, (v - ret) * (v - ret));
    }
}
