package io.rlvr4j.api.math;

/** Statistics of one group of rewards (the n samples of one prompt). */
public final class GroupStats {

    private GroupStats() {}

    /** {@return the arithmetic mean; 0 for an empty group} */
    public static double mean(double[] x) {
        if (x.length == 0) return 0;
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /**
     * {@return the sample standard deviation with Bessel's correction (divides by n - 1), as
     * {@code torch.std} and GRPO use it; 0 for fewer than two values}
     */
    public static double std(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x);
        double ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (x.length - 1));
    }

    /** {@return whether every value equals the first (a group that carries no learning signal)} */
    public static boolean allEqual(double[] x) {
        for (double v : x) {
            if (v != x[0]) return false;
        }
        return true;
    }
}
