package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.GroupStats;
import java.util.Arrays;
import java.util.List;

/**
 * The pure maths of a group-baseline update, as small static functions: advantages per sample and
 * their broadcast to response tokens.
 */
final class GroupAdvantages {

    private GroupAdvantages() {}

    /** {@return whether a group's rewards differ, i.e. whether it carries any learning signal} */
    static boolean hasSignal(RolloutGroup group) {
        return !GroupStats.allEqual(group.rewardValues());
    }

    /**
     * {@return one advantage per sample of every group, groups in order, samples in order}: the group
     * baseline applied to each group's slice of {@code rewards} separately
     *
     * @param rewards one per sample of every group, in the same order
     */
    static double[] perSample(List<RolloutGroup> groups, double[] rewards, GroupBaseline baseline) {
        double[] out = new double[rewards.length];
        int start = 0;
        for (RolloutGroup g : groups) {
            double[] adv = baseline.advantages(Arrays.copyOfRange(rewards, start, start + g.size()));
            System.arraycopy(adv, 0, out, start, adv.length);
            start += g.size();
        }
        if (start != rewards.length) throw new IllegalArgumentException(rewards.length + " rewards for " + start + " samples");
        return out;
    }

    /**
     * {@return the advantage of each sequence repeated over its response tokens}: an outcome reward
     * credits every token of the response equally ({@code A_{i,t} = A_i}).
     */
    static float[][] broadcast(double[] advantages, List<TokenSequence> sequences) {
        if (advantages.length != sequences.size()) {
            throw new IllegalArgumentException(advantages.length + " advantages for " + sequences.size() + " sequences");
        }
        float[][] out = new float[advantages.length][];
        for (int i = 0; i < advantages.length; i++) {
            out[i] = new float[sequences.get(i).responseLength()];
            Arrays.fill(out[i], (float) advantages[i]);
        }
        return out;
    }
}
