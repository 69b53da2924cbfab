package io.rlvr4j.app.pipeline;

import java.util.Locale;
import java.util.Map;

/**
 * The result of one evaluation.
 *
 * @param name the evaluation's name, e.g. {@code before_rl}
 * @param problems how many problems were evaluated
 * @param greedyPass1 the fraction solved by greedy decoding (NaN when greedy decoding was off)
 * @param samples n, the samples per problem for pass@k (0 when sampling was off)
 * @param temperature the sampling temperature
 * @param passAtK the unbiased pass@k estimate (Chen et al. 2021) for each k shown in tables
 * @param passAtEveryK the same for every k from 1 to n
 * @param avgAtN the mean accuracy of the n samples (avg@n; the "pass@1 over n samples" of reasoning-model reports), NaN without samples
 * @param majAtN maj@n (cons@n): how often the most frequent answer is right, NaN without samples
 *     or answers
 * @param meanScore the mean verifier score of the samples
 * @param meanResponseTokens the mean length of the sampled (or greedy) responses, in tokens
 * @param seconds the wall time of the evaluation
 */
public record EvalResult(String name, int problems, double greedyPass1, int samples, double temperature,
                         Map<Integer, Double> passAtK, Map<Integer, Double> passAtEveryK, double avgAtN, double majAtN, double meanScore, double meanResponseTokens, double seconds) {

    /** {@return a small table for the console} */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "evaluation", name));
        sb.append(String.format(Locale.ROOT, "  %-22s %d%n", "problems", problems));
        if (!Double.isNaN(greedyPass1)) {
            sb.append(String.format(Locale.ROOT, "  %-22s %.1f%%%n", "greedy pass@1", 100 * greedyPass1));
        }
        if (samples > 0) {
            String of = " (n=" + samples + ", T=" + temperature + ")";
            sb.append(String.format(Locale.ROOT, "  %-22s %.1f%%%n", "avg@" + samples + of, 100 * avgAtN));
            if (!Double.isNaN(majAtN)) sb.append(String.format(Locale.ROOT, "  %-22s %.1f%%%n", "maj@" + samples + of, 100 * majAtN));
        }
        passAtK.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-22s %.1f%%%n",
                "pass@" + k + " (n=" + samples + ", T=" + temperature + ")", 100 * v)));
        sb.append(String.format(Locale.ROOT, "  %-22s %.1f tokens%n", "mean response", meanResponseTokens));
        return sb.toString();
    }
}
