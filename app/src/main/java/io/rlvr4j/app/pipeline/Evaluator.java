package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Sampler;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.math.PassAtK;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy pass@1 and, over n samples per problem, avg@n, maj@n and unbiased pass@k for every k <= n,
 * of a model on a fixed list of problems.
 *
 * @param greedy whether to measure greedy pass@1
 * @param samples n, samples per problem (0 = no sampling)
 * @param ks the k of pass@k shown in tables, each at most n (every k is computed)
 * @param sampling temperature, top-p, top-k, token budget, stop strings and seed of the samples (the greedy pass takes its
 *     budget and stop strings)
 * @param batchSize sequences generated at once
 */
record Evaluator(boolean greedy, int samples, List<Integer> ks, SamplingConfig sampling, int batchSize) {

    /**
     * Evaluates {@code sampler} on {@code problems}; when {@code responses} is not null, every
     * response is also passed to it, with its problem and score, in problem order: the greedy ones
     * (sample -1), then the samples.
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
        Map<Integer, Double> passAtEveryK = new LinkedHashMap<>();
        double avg = Double.NaN;
        double maj = Double.NaN;
        try (Progress progress = new Progress("eval " + name, (greedy ? 1 : 0) + (samples > 0 ? 1 : 0), log)) {
            int done = 0;
            if (greedy) {
                SamplingParams g = params.asGreedy();
                List<Generation> gens = new ArrayList<>();
                List<RewardResult> r = generateAndScore(sampler, problems, prompts, 1, g, rewards, gens);
                greedyPass = r.stream().filter(RewardResult::correct).count() / (double) problems.size();
                if (responses != null) {
                    for (int i = 0; i < problems.size(); i++) responses.accept(problems.get(i), -1, gens.get(i), r.get(i));
                }
                meanTokens = meanLength(gens);
                progress.step(++done, Map.of("greedy_pass@1", Progress.f(greedyPass, 3)));
            }
            if (samples > 0) {
                List<Generation> gens = new ArrayList<>();
                List<RewardResult> r = generateAndScore(sampler, problems, prompts, samples, params, rewards, gens);
                if (responses != null) {
                    for (int i = 0; i < r.size(); i++) responses.accept(problems.get(i / samples), i % samples, gens.get(i), r.get(i));
                }
                int[] correct = new int[problems.size()];
                for (int i = 0; i < r.size(); i++) correct[i / samples] += r.get(i).correct() ? 1 : 0;
                for (int k = 1; k <= samples; k++) {
                    double sum = 0;
                    for (int c : correct) sum += PassAtK.estimate(samples, c, k);
                    passAtEveryK.put(k, sum / problems.size());
                }
                for (int k : ks) passAtK.put(k, passAtEveryK.get(k));
                avg = r.stream().filter(RewardResult::correct).count() / (double) r.size();
                maj = majorityAccuracy(r, samples);
                meanScore = r.stream().mapToDouble(RewardResult::score).average().orElse(0);
                meanTokens = meanLength(gens);
                progress.step(++done, Map.of("pass@" + ks.getLast(), Progress.f(passAtK.get(ks.getLast()), 3)));
            }
        }
        return new EvalResult(name, problems.size(), greedyPass, samples, params.temperature(), passAtK, passAtEveryK, avg, maj,
                meanScore, meanTokens, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@return maj@n: the fraction of problems whose most frequent answer among their n samples is
     * correct, or NaN when the verifier reports no answers} Answers are the verifier's
     * {@code extracted} detail, white space ignored; samples without one do not vote; a tie goes to
     * the answer given first (as {@code Counter.most_common} does); a problem where no sample gave
     * an answer counts as wrong.
     *
     * @param results the scored samples, problem-major, {@code n} per problem
     */
    static double majorityAccuracy(List<RewardResult> results, int n) {
        if (results.stream().noneMatch(r -> r.details().containsKey("extracted"))) return Double.NaN;
        int right = 0;
        for (int from = 0; from < results.size(); from += n) {
            Map<String, Integer> votes = new LinkedHashMap<>();
            Map<String, Boolean> verdict = new HashMap<>();
            for (RewardResult r : results.subList(from, from + n)) {
                String answer = r.details().get("extracted");
                if (answer == null || answer.isBlank()) continue;
                String key = answer.replaceAll("\\s+", "");
                votes.merge(key, 1, Integer::sum);
                verdict.putIfAbsent(key, r.correct());
            }
            String top = null;
            for (Map.Entry<String, Integer> e : votes.entrySet()) {
                if (top == null || e.getValue() > votes.get(top)) top = e.getKey();
            }
            if (top != null && verdict.get(top)) right++;
        }
        return right / (double) (results.size() / n);
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

    /** Receives the responses of an evaluation. */
    @FunctionalInterface
    interface ResponseSink {
        /** @param sample -1 for the greedy response, else the sample's index among the problem's n */
        void accept(Problem problem, int sample, Generation response, RewardResult result);
    }
}
