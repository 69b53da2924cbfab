package io.rlvr4j.algorithms.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splitting a batch into the mini-batches of an update's optimiser steps, reproducibly and without
 * state: the shuffle is drawn from a seed derived from the configuration, the epoch and the batch.
 */
public final class MiniBatches {

    private MiniBatches() {}

    /**
     * Splits {@code items} indices into {@code parts} mini-batches of sizes that differ by at most
     * one, after a shuffle drawn with {@code seed} (the identity order when {@code parts} is 1).
     *
     * @return the parts, each a list of indices in increasing order
     */
    public static List<int[]> split(int items, int parts, long seed) {
        if (parts < 1 || parts > items) throw new IllegalArgumentException("cannot split " + items + " items into " + parts + " parts");
        int[] order = new int[items];
        for (int i = 0; i < items; i++) order[i] = i;
        if (parts > 1) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = items - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<int[]> out = new ArrayList<>(parts);
        int start = 0;
        for (int p = 0; p < parts; p++) {
            int size = items / parts + (p < items % parts ? 1 : 0);
            int[] part = Arrays.copyOfRange(order, start, start + size);
            Arrays.sort(part);
            out.add(part);
            start += size;
        }
        return out;
    }

    /** {@return a well-mixed seed from several integers} (SplitMix64's finaliser over each) */
    public static long seed(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            long z = h ^ (p + 0x632BE59BD9B4E019L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31);
        }
        return h;
    }

    /** {@return the elements of {@code all} at {@code rows}, in that order} */
    public static <T> List<T> rows(List<T> all, List<Integer> rows) {
        List<T> out = new ArrayList<>(rows.size());
        for (int r : rows) out.add(all.get(r));
        return out;
    }

    /** {@return the rows of {@code all} at {@code rows}, in that order} (shared, not copied) */
    public static float[][] rows(float[][] all, List<Integer> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) out[i] = all[rows.get(i)];
        return out;
    }
}
