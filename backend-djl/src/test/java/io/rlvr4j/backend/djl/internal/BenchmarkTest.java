package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.*;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.*;
import java.nio.file.Path;
import java.util.*;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput on a ~1M-parameter Qwen2 (5 layers, hidden 128, 4/2 heads, MLP 384) with a 100-token
 * vocabulary: sampling 64 prompts x 64 new tokens, and SFT and policy-gradient (k3 KL in the loss)
 * steps on 64 sequences of 80 tokens. Not a unit test (tagged slow, excluded by default); run it with
 * {@code ./mvnw -o -q -pl backend-djl test -Dtest=BenchmarkTest -Dsurefire.excludedGroups=none}
 * (add {@code -Dbench.threads=1} through {@code -Dtest.jvm.args=...} to compare thread counts).
 */
@Tag("slow")
class BenchmarkTest {
    @Test
    void throughput(@TempDir Path tmp) {
        Path dir = TinyModels.write(tmp.resolve("m"), Integer.getInteger("bench.layers", 5), Integer.getInteger("bench.hidden", 128), 4, 2,
                Integer.getInteger("bench.intermediate", 384));
        int threads = Integer.getInteger("bench.threads", 2);
        Settings s = Settings.of(Map.of("device", "cpu", "threads", threads, "micro_batch_size", 64));
        try (DjlPolicy p = TinyModels.random(dir, ModelRole.ACTOR, OptimizerSpec.adamW(1e-3), 1, s)) {
            System.out.println(p.describe() + ", threads " + threads);
            SplittableRandom r = new SplittableRandom(3);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 64; i++) prompts.add(r.ints(16 + r.nextInt(8), 0, 96).toArray());
            SamplingParams sp = new SamplingParams(1.0, 1.0, 0, 64, Set.of(), 7);
            for (int rep = 0; rep < Integer.getInteger("bench.reps", 4); rep++) {
                long t0 = System.nanoTime();
                List<Generation> g = p.generate(prompts, sp);
                long t1 = System.nanoTime();
                int n = g.stream().mapToInt(x -> x.tokens().length).sum();
                System.out.printf("sample B=64 x 64 new: %.1f ms, %.0f tok/s%n", (t1 - t0) / 1e6, n / ((t1 - t0) / 1e9));
            }
            for (int rep = 0; rep < 2; rep++) {
                long t0 = System.nanoTime();
                List<Generation> g = p.generate(prompts, SamplingParams.greedy(64, Set.of()));
                long t1 = System.nanoTime();
                int n = g.stream().mapToInt(x -> x.tokens().length).sum();
                System.out.printf("greedy B=64 x 64 new: %.1f ms, %.0f tok/s%n", (t1 - t0) / 1e6, n / ((t1 - t0) / 1e9));
            }
            List<TokenSequence> seqs = new ArrayList<>();
            for (int i = 0; i < 64; i++) seqs.add(new TokenSequence(r.ints(80, 0, 96).toArray(), 16));
            SupervisedObjective o = SupervisedObjective.tokenMean(seqs);
            for (int rep = 0; rep < 12; rep++) {
                long t0 = System.nanoTime();
                Map<String, Double> st = p.train(o);
                long t1 = System.nanoTime();
                if (rep >= 2) System.out.printf("train B=64 T=80: %.1f ms (loss %.4f)%n", (t1 - t0) / 1e6, st.get("loss"));
            }
            float[][] lp = p.logProbs(seqs);
            float[][] adv = new float[seqs.size()][];
            for (int i = 0; i < adv.length; i++) {
                adv[i] = new float[lp[i].length];
                for (int k = 0; k < adv[i].length; k++) adv[i][k] = (float) r.nextGaussian();
            }
            PolicyGradientObjective pg = new PolicyGradientObjective(seqs, adv, lp, lp, ClipRange.symmetric(0.2), 0,
                    new KlPenalty(0.04, KlEstimator.K3), 0, LossAggregation.TOKEN_MEAN, 1);
            for (int rep = 0; rep < 12; rep++) {
                long t0 = System.nanoTime();
                p.train(pg);
                long t1 = System.nanoTime();
                if (rep >= 2) System.out.printf("train policy gradient + k3 KL B=64 T=80: %.1f ms%n", (t1 - t0) / 1e6);
            }
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                p.logProbs(seqs);
                long t1 = System.nanoTime();
                System.out.printf("logProbs B=64 T=80: %.1f ms%n", (t1 - t0) / 1e6);
            }
        }
    }
}
