package io.rlvr4j.api.contract;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RolloutGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rollout groups for the tests of update rules: response lengths and token ids identify each sample. */
public final class Rollouts {

    private Rollouts() {}

    private static int next = 100;

    /** {@return a group of one problem whose sample i has reward rewards[i] and a response of 1 + i tokens} */
    public static RolloutGroup group(String id, double... rewards) {
        List<Generation> gens = new ArrayList<>();
        List<RewardResult> results = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            int len = 1 + i;
            int[] tokens = new int[len];
            for (int t = 0; t < len; t++) tokens[t] = next++;
            gens.add(new Generation(new int[] {1, 2}, tokens, new float[len], "r" + i, Generation.FinishReason.STOP));
            double r = rewards[i];
            results.add(new RewardResult(r, r > 0 ? 1 : 0, r > 0 ? RewardResult.Outcome.CORRECT : RewardResult.Outcome.WRONG, Map.of()));
        }
        return new RolloutGroup(Problem.of(id, "math", "q" + id, "1"), gens, results);
    }

    /** {@return a group whose every sample has an empty response} */
    public static RolloutGroup emptyResponses(String id, double... rewards) {
        List<Generation> gens = new ArrayList<>();
        List<RewardResult> results = new ArrayList<>();
        for (double r : rewards) {
            gens.add(new Generation(new int[] {1}, new int[0], new float[0], "", Generation.FinishReason.STOP));
            results.add(new RewardResult(r, 0, RewardResult.Outcome.WRONG, Map.of()));
        }
        return new RolloutGroup(Problem.of(id, "math", "q", "1"), gens, results);
    }

    /** {@return {@code group} with the given samples marked as cut at the token limit} */
    public static RolloutGroup truncated(RolloutGroup group, int... samples) {
        List<Generation> gens = new ArrayList<>(group.generations());
        for (int i : samples) {
            Generation g = gens.get(i);
            gens.set(i, new Generation(g.promptTokens(), g.tokens(), g.logProbs(), g.text(), Generation.FinishReason.LENGTH));
        }
        return new RolloutGroup(group.problem(), gens, group.rewards());
    }
}
