package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.KlEstimator;
import java.util.List;
import java.util.Map;

/**
 * {@code kl_monitor_every}: every N steps, {@code kl/start_policy}, the mean per-token k3 estimate of
 * KL(actor || the stage's starting policy) on the step's samples: how far RL has moved the policy
 * (Schulman's k3, unbiased for samples of the actor; these were sampled just before the update, which
 * is close enough for monitoring).
 */
final class KlMonitor implements StepListener {

    private final int every;
    private final Policy actor;
    private final Policy start;

    KlMonitor(int every, Policy actor, Policy start) {
        this.every = every;
        this.actor = actor;
        this.start = start;
    }

    @Override
    public String name() {
        return "kl_monitor";
    }

    @Override
    public void afterStep(long step, RolloutCollector.Batch batch, Map<String, Double> metrics) {
        if (step % every != 0) return;
        long t0 = System.nanoTime();
        List<TokenSequence> sequences = batch.generations().stream().map(Generation::sequence).toList();
        float[][] a = actor.logProbs(sequences);
        float[][] r = start.logProbs(sequences);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                sum += KlEstimator.K3.estimate(a[i][t], r[i][t]);
                n++;
            }
        }
        metrics.put("kl/start_policy", n == 0 ? 0 : sum / n);
        metrics.put("timing_s/kl_monitor", (System.nanoTime() - t0) / 1e9);
    }
}
