package io.rlvr4j.api;

import java.util.List;

/**
 * The n scored rollouts of one problem: the unit that group baselines (RLOO, GRPO) work on.
 *
 * @param problem the problem
 * @param generations the n generations, in sampling order
 * @param rewards the verdict on each generation, same order
 */
public record RolloutGroup(Problem problem, List<Generation> generations, List<RewardResult> rewards) {

    public RolloutGroup {
        generations = List.copyOf(generations);
        rewards = List.copyOf(rewards);
        if (generations.size() != rewards.size()) {
            throw new IllegalArgumentException(generations.size() + " generations but " + rewards.size() + " rewards");
        }
    }

    /** {@return the number of rollouts} */
    public int size() {
        return generations.size();
    }

    /** {@return the training rewards, in order} */
    public double[] rewardValues() {
        return rewards.stream().mapToDouble(RewardResult::reward).toArray();
    }

    /** {@return the scores in [0, 1], in order} */
    public double[] scores() {
        return rewards.stream().mapToDouble(RewardResult::score).toArray();
    }
}
