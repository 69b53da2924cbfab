package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.Baselines;
import io.rlvr4j.api.math.TokenAdvantages;
import java.util.ArrayList;
import java.util.List;

/**
 * What distinguishes the critic-free algorithms: per-token advantages from a batch's rewards. RLOO and
 * GRPO baseline each sequence's reward within its prompt's group and give it to every token;
 * REINFORCE++ whitens token-level returns over the whole batch. Implementations are pure functions.
 */
interface AdvantageEstimator {

    /** {@return the fewest samples per prompt the estimator works with} (2 for a group baseline) */
    int minSamples();

    /**
     * {@return one advantage per response token of every sequence}, groups in order, samples in order
     *
     * @param groups the groups trained on
     * @param sequences their sequences, in the same order
     * @param sequenceRewards per sequence: the outcome reward less the KL-in-reward penalty summed over its tokens
     * @param tokenRewards per sequence and response token: the KL-in-reward penalty, and the outcome on the last token
     */
    float[][] advantages(List<RolloutGroup> groups, List<TokenSequence> sequences, double[] sequenceRewards, float[][] tokenRewards);

    /** {@return the estimator of RLOO or GRPO}: {@code baseline} on each group's sequence rewards, broadcast to its tokens */
    static AdvantageEstimator groupBaseline(GroupBaseline baseline) {
        return new AdvantageEstimator() {
            @Override
            public int minSamples() {
                return 2;
            }

            @Override
            public float[][] advantages(List<RolloutGroup> groups, List<TokenSequence> sequences, double[] sequenceRewards,
                                        float[][] tokenRewards) {
                return GroupAdvantages.broadcast(GroupAdvantages.perSample(groups, sequenceRewards, baseline), sequences);
            }
        };
    }

    /**
     * {@return REINFORCE++'s estimator} (Hu 2025, arXiv:2501.03262; verl's {@code reinforce_plus_plus}):
     * the discounted return of the token rewards, {@code G_t = sum_{s >= t} gamma^(s-t) r_s}, whitened over
     * every token of the batch. With {@code groupBaseline} ({@code reinforce_plus_plus_baseline}): each
     * sequence reward less its group's mean, given to every token, then whitened over the batch.
     */
    static AdvantageEstimator reinforcePlusPlus(double gamma, boolean groupBaseline) {
        return new AdvantageEstimator() {
            @Override
            public int minSamples() {
                return groupBaseline ? 2 : 1;
            }

            @Override
            public float[][] advantages(List<RolloutGroup> groups, List<TokenSequence> sequences, double[] sequenceRewards,
                                        float[][] tokenRewards) {
                float[][] raw;
                if (groupBaseline) {
                    raw = GroupAdvantages.broadcast(GroupAdvantages.perSample(groups, sequenceRewards, r -> Baselines.groupNormalized(r, false, 1)), sequences);
                } else {
                    List<float[]> returns = new ArrayList<>(tokenRewards.length);
                    for (float[] r : tokenRewards) returns.add(TokenAdvantages.discountedReturns(r, gamma));
                    raw = returns.toArray(float[][]::new);
                }
                return TokenAdvantages.whiten(raw, true);
            }
        };
    }
}
