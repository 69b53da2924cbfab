package io.rlvr4j.api.math;

/** Outcome advantages from a group of rewards, one per sample of the same prompt. */
public final class Baselines {

    private Baselines() {}

    /**
     * Leave-one-out advantages: {@code A_i = r_i - (1/(n-1)) * sum_{j != i} r_j}, which equals
     * {@code n/(n-1) * (r_i - mean(r))}. Ahmadian et al. 2024, "Back to Basics", arXiv:2402.14740.
     *
     * @param rewards the n rewards of one prompt's group
     * @return advantages, same length, summing to 0. For n = 1 there is no baseline and no signal:
     *     the advantage is 0 (verl returns the raw reward instead; a lone sample says nothing about
     *     whether it is better than the policy's average)
     */
    public static double[] leaveOneOut(double[] rewards) {
        int n = rewards.length;
        double[] adv = new double[n];
        if (n < 2) return adv;
        double sum = 0;
        for (double r : rewards) sum += r;
        for (int i = 0; i < n; i++) {
            adv[i] = rewards[i] - (sum - rewards[i]) / (n - 1);
        }
        return adv;
    }

    /**
     * Group-relative advantages of GRPO (Shao et al. 2024, arXiv:2402.03300):
     * {@code A_i = (r_i - mean(r)) / (std(r) + epsilon)}, or without the division when
     * {@code divideByStd} is false (Dr. GRPO, arXiv:2503.20783).
     *
     * @return advantages, same length; all 0 when every reward is equal
     */
    public static double[] groupNormalized(double[] rewards, boolean divideByStd, double epsilon) {
        double m = GroupStats.mean(rewards);
        double scale = divideByStd ? GroupStats.std(rewards) + epsilon : 1;
        double[] adv = new double[rewards.length];
        for (int i = 0; i < adv.length; i++) adv[i] = (rewards[i] - m) / scale;
        return adv;
    }
}
