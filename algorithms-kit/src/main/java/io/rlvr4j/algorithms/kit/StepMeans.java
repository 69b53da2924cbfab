package io.rlvr4j.algorithms.kit;

import java.util.Map;
import java.util.TreeMap;

/** The statistics of an update's optimiser steps, each averaged over the steps that reported it. */
public final class StepMeans {

    private final Map<String, double[]> sums = new TreeMap<>(); // key -> {sum, count}

    /** Adds one step's statistics under {@code prefix} (e.g. {@code actor/}). */
    public void add(String prefix, Map<String, Double> step) {
        step.forEach((key, value) -> {
            double[] acc = sums.computeIfAbsent(prefix + key, x -> new double[2]);
            acc[0] += value;
            acc[1]++;
        });
    }

    /** Puts each key's mean into {@code stats}. */
    public void putInto(Map<String, Double> stats) {
        sums.forEach((key, acc) -> stats.put(key, acc[0] / acc[1]));
    }
}
