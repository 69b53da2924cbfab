package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.GroupStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pure maths of a group-baseline update, as small static functions: outcome advantages per
 * sample, their broadcast to response tokens, and the split of groups into mini-batches.
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

    /**
     * Splits {@code groups} group indices into {@code parts} mini-batches of sizes that differ by at most
     * one, after a shuffle drawn with {@code seed} (the identity order when {@code parts} is 1).
     *
     * @return the parts, each a list of group indices in increasing order
     */
    static List<int[]> miniBatches(int groups, int parts, long seed) {
        if (parts < 1 || parts > groups) throw new IllegalArgumentException("cannot split " + groups + " groups into " + parts + " parts");
        int[] order = new int[groups];
        for (int i = 0; i < groups; i++) order[i] = i;
        if (parts > 1) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = groups - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<int[]> out = new ArrayList<>(parts);
        int start = 0;
        for (int p = 0; p < parts; p++) {
            int size = groups / parts + (p < groups % parts ? 1 : 0);
            int[] part = Arrays.copyOfRange(order, start, start + size);
            Arrays.sort(part);
            out.add(part);
            start += size;
        }
        return out;
    }

    /** {@return a well-mixed seed from several integers} (SplitMix64's finaliser over each) */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            long z = h ^ (p + 0x632BE59BD9B4E019L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31);
        }
        return h;
    }
}
