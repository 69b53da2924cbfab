package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.math.PassAtK;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy pass@1 and sampled pass@k of a model on a fixed list of problems.
 *
 * @param greedy whether to measure greedy pass@1
 * @param samples n, samples per problem for pass@k (0 = no sampling)
 * @param ks the k of pass@k, each at most n
 * @param sampling temperature, top-p, top-k, token budget, stop strings and seed of the samples (the greedy pass takes its
 *     budget and stop strings)
 * @param batchSize sequences generated at once
 */
record Evaluator(boolean greedy, int samples, List<Integer> ks, SamplingConfig sampling, int batchSize) {

    /**
     * Evaluates {@code sampler} on {@code problems}; when {@code responses} is not null, each greedy
     * response is also passed to it, with its problem and score, in problem order.
     */
    EvalResult evaluate(String name, Sampler sampler, PromptFormat format, Map<String, Double> samplingDefaults, List<Problem> problems,
                        Rewards rewards, PrintStream log, ResponseSink responses) {
        long t0 = System.nanoTime();
        List<int[]> prompts = problems.stream().map(p -> format.encode(p, sampler.tokenizer())).toList();
        SamplingParams params = sampling.resolve(samples > 0 ? samplingDefaults : Map.of(), sampler.tokenizer().stopTokenIds(), "eval " + name, log);
        double greedyPass = Double.NaN;
        double meanTokens = 0;
        double meanScore = Double.NaN;
        Map<Integer, Double> passAtK = new LinkedHashMap<>();
        try (Progress progress = new Progress("eval " + name, (greedy ? 1 : 0) + (samples > 0 ? 1 : 0), log)) {
            int done = 0;
            if (greedy) {
                SamplingParams g = params.asGreedy();
                List<Generation> gens = new ArrayList<>();
                List<RewardResult> r = generateAndScore(sampler, problems, prompts, 1, g, rewards, gens);
                greedyPass = r.stream().filter(RewardResult::correct).count() / (double) problems.size();
                if (responses != null) {
                    for (int i = 0; i < problems.size(); i++) responses.accept(problems.get(i), gens.get(i), r.get(i));
                }
                meanTokens = meanLength(gens);
                progress.step(++done, Map.of("greedy_pass@1", Progress.f(greedyPass, 3)));
            }
            if (samples > 0) {
                List<Generation> gens = new ArrayList<>();
                List<RewardResult> r = generateAndScore(sampler, problems, prompts, samples, params, rewards, gens);
                for (int k : ks) {
                    double sum = 0;
                    for (int i = 0; i < problems.size(); i++) {
                        int c = 0;
                        for (int j = 0; j < samples; j++) c += r.get(i * samples + j).correct() ? 1 : 0;
                        sum += PassAtK.estimate(samples, c, k);
                    }
                    passAtK.put(k, sum / problems.size());
                }
                meanScore = r.stream().mapToDouble(RewardResult::score).average().orElse(0);
                meanTokens = meanLength(gens);
                progress.step(++done, Map.of("pass@" + ks.getLast(), Progress.f(passAtK.get(ks.getLast()), 3)));
            }
        }
        return new EvalResult(name, problems.size(), greedyPass, samples, params.temperature(), passAtK, meanScore,
                meanTokens, (System.nanoTime() - t0) / 1e9);
    }

    private static double meanLength(List<Generation> gens) {
        return gens.stream().mapToInt(g -> g.tokens().length).average().orElse(0);
    }

    /** Generates n continuations per problem (problem-major order) and scores them. */
    private List<RewardResult> generateAndScore(Sampler sampler, List<Problem> problems, List<int[]> prompts, int n,
                                                SamplingParams params, Rewards rewards, List<Generation> out) {
        List<int[]> all = new ArrayList<>();
        List<Problem> owners = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            for (int j = 0; j < n; j++) {
                all.add(prompts.get(i));
                owners.add(problems.get(i));
            }
        }
        for (int from = 0; from < all.size(); from += batchSize) {
            int to = Math.min(all.size(), from + batchSize);
            out.addAll(sampler.generate(all.subList(from, to), params.withSeed(params.seed() + from)));
        }
        return rewards.scoreAll(owners, out.stream().map(Generation::text).toList());
    }

    /** Receives the greedy responses of an evaluation. */
    @FunctionalInterface
    interface ResponseSink {
        void accept(Problem problem, Generation response, RewardResult result);
    }
}
