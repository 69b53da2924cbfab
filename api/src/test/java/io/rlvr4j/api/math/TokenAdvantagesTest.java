package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden values worked by hand from the definitions; each test shows its derivation. */
class TokenAdvantagesTest {

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-6));
    }

    @Test
    void shapedRewardsPutTheOutcomeOnTheLastTokenAndTheKlOnEvery() {
        // k1 = logp - ref: [-1 - (-1.5), -2 - (-1)] = [0.5, -1]; r = -0.1 * k1 = [-0.05, 0.1]; + outcome 1 on the last
        close(TokenAdvantages.shapedRewards(1, new float[] {-1, -2}, new float[] {-1.5f, -1}, 0.1, KlEstimator.K1), -0.05, 1.1);
        // k3 with d = ref - logp = [-0.5, 1]: e^d - 1 - d = [0.1065307, 0.7182818]; r = -0.1 * that; -0.5 on the last
        close(TokenAdvantages.shapedRewards(-0.5, new float[] {-1, -2}, new float[] {-1.5f, -1}, 0.1, KlEstimator.K3),
                -0.01065307, -0.5 - 0.07182818);
        // no KL: only the outcome, and no reference needed
        close(TokenAdvantages.shapedRewards(1, new float[] {-1, -2, -3}, null, 0, KlEstimator.K1), 0, 0, 1);
        assertThat(TokenAdvantages.shapedRewards(1, new float[0], null, 0, KlEstimator.K1)).isEmpty();
        assertThat(TokenAdvantages.klSum(new float[] {-1, -2}, new float[] {-1.5f, -1}, KlEstimator.K1)).isCloseTo(-0.5, within(1e-9));
    }

    @Test
    void discountedReturnsSumTheRewardsAhead() {
        // G_2 = 1; G_1 = 0 + 0.9 * 1 = 0.9; G_0 = 0.5 + 0.9 * 0.9 = 1.31
        close(TokenAdvantages.discountedReturns(new float[] {0.5f, 0, 1}, 0.9), 1.31, 0.9, 1);
        close(TokenAdvantages.discountedReturns(new float[] {0.5f, 0, 1}, 1), 1.5, 1, 1);
    }

    @Test
    void gaeByHand() {
        // r = [0, 0, 1], V = [0.5, 0.6, 0.7], gamma 1, lambda 0.95; V_3 = 0
        // delta = [0 + 0.6 - 0.5, 0 + 0.7 - 0.6, 1 + 0 - 0.7] = [0.1, 0.1, 0.3]
        // A_2 = 0.3; A_1 = 0.1 + 0.95 * 0.3 = 0.385; A_0 = 0.1 + 0.95 * 0.385 = 0.46575; R = A + V
        TokenAdvantages.Gae g = TokenAdvantages.gae(new float[] {0, 0, 1}, new float[] {0.5f, 0.6f, 0.7f}, 1, 0.95);
        close(g.advantages(), 0.46575, 0.385, 0.3);
        close(g.returns(), 0.96575, 0.985, 1.0);
    }

    @Test
    void gaeWithLambdaOneIsTheMonteCarloReturnLessTheValue() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(20);
            float[] r = new float[n];
            float[] v = new float[n];
            for (int t = 0; t < n; t++) {
                r[t] = (float) rnd.nextDouble(-1, 1);
                v[t] = (float) rnd.nextDouble(-1, 1);
            }
            double gamma = rnd.nextDouble(0.5, 1);
            float[] g = TokenAdvantages.discountedReturns(r, gamma);
            TokenAdvantages.Gae gae = TokenAdvantages.gae(r, v, gamma, 1);
            for (int t = 0; t < n; t++) {
                assertThat((double) gae.advantages()[t]).isCloseTo(g[t] - v[t], within(1e-4));
                assertThat((double) gae.returns()[t]).isCloseTo(g[t], within(1e-4));
            }
            // lambda 0: the one-step TD error r_t + gamma V_{t+1} - V_t
            TokenAdvantages.Gae td = TokenAdvantages.gae(r, v, gamma, 0);
            for (int t = 0; t < n; t++) {
                double next = t + 1 < n ? v[t + 1] : 0;
                assertThat((double) td.advantages()[t]).isCloseTo(r[t] + gamma * next - v[t], within(1e-5));
            }
        }
    }

    @Test
    void whiteningUsesEveryTokenOfTheBatchAndTheUnbiasedVariance() {
        // tokens 1, 2, 3: mean 2, unbiased variance ((1 + 0 + 1) / 2) = 1 -> [-1, 0], [1]
        float[][] w = TokenAdvantages.whiten(new float[][] {{1, 2}, {3}}, true);
        close(w[0], -1, 0);
        close(w[1], 1);
        float[][] unshifted = TokenAdvantages.whiten(new float[][] {{1, 2}, {3}}, false);
        close(unshifted[0], 1, 2);
        close(unshifted[1], 3);
        // tokens 0, 0, 0, 4: mean 1, unbiased variance (1 + 1 + 1 + 9) / 3 = 4 -> (x - 1) / 2
        float[][] w2 = TokenAdvantages.whiten(new float[][] {{0, 0}, {}, {0, 4}}, true);
        close(w2[0], -0.5, -0.5);
        assertThat(w2[1]).isEmpty();
        close(w2[2], -0.5, 1.5);
        close(TokenAdvantages.whiten(new float[][] {{7}}, true)[0], 0);
    }
}
