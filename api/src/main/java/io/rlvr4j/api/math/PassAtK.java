package io.rlvr4j.api.math;

/**
 * The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code", arXiv:2107.03374): with n samples of which c are correct,
 * {@code pass@k = 1 - C(n - c, k) / C(n, k)}.
 */
public final class PassAtK {

    private PassAtK() {}

    /**
     * {@return the estimate}, computed as {@code 1 - prod_{i = n-c+1}^{n} (1 - k / i)} so that no
     * binomial coefficient overflows.
     *
     * @throws IllegalArgumentException unless {@code 0 <= c <= n} and {@code 1 <= k <= n}
     */
    public static double estimate(int n, int c, int k) {
        if (c < 0 || c > n) throw new IllegalArgumentException("need 0 <= c <= n, but c = " + c + ", n = " + n);
        if (k < 1 || k > n) throw new IllegalArgumentException("need 1 <= k <= n, but k = " + k + ", n = " + n);
        if (n - c < k) return 1.0;
        double fail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }
}
