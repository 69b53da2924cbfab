package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an RL stage does to the verifiers' rewards before the algorithm sees them: DAPO's soft overlong
 * punishment ({@code overlong_buffer}, {@code overlong_penalty}) and a fixed reward for responses cut at
 * the token budget ({@code truncated_reward}), both against the step's budget (which a length
 * curriculum may change from step to step).
 *
 * @param overlongBuffer the last tokens of the budget over which the penalty grows (0 = off)
 * @param overlongPenalty the penalty at the budget
 * @param truncatedReward the reward of a response cut at the budget, or NaN to keep the verifier's
 */
record RewardShaping(int overlongBuffer, double overlongPenalty, double truncatedReward) {

    /** Reads the stage's keys; the buffer must be below every budget of {@code smallestBudget}. */
    static RewardShaping read(Settings s, int smallestBudget) {
        int buffer = s.integer("overlong_buffer", 0);
        if (buffer < 0 || buffer >= smallestBudget) {
            throw s.invalid("overlong_buffer", "must be in [0, max_new_tokens) = [0, " + smallestBudget + "); 0 = no overlong penalty");
        }
        double penalty = s.finiteNumber("overlong_penalty", 1.0);
        if (!(penalty >= 0)) throw s.invalid("overlong_penalty", "must be >= 0");
        double truncated = s.has("truncated_reward") ? s.number("truncated_reward", 0) : Double.NaN;
        if (s.has("truncated_reward") && !Double.isFinite(truncated)) throw s.invalid("truncated_reward", "must be a finite number");
        return new RewardShaping(buffer, penalty, truncated);
    }

    /** {@return {@code results} shaped for responses {@code gens} sampled with a budget of {@code maxNewTokens}} */
    List<RewardResult> apply(List<Generation> gens, List<RewardResult> results, int maxNewTokens) {
        List<RewardResult> out = results;
        if (overlongBuffer > 0) out = penaliseOverlong(gens, out, maxNewTokens);
        if (!Double.isNaN(truncatedReward)) out = penaliseTruncated(gens, out);
        return out;
    }

    /**
     * {@return the results with DAPO's soft overlong punishment added} (Yu et al. 2025, arXiv:2503.14476,
     * as verl's DAPO reward manager): a response of {@code L} tokens, with the budget {@code L_max =
     * max_new_tokens} and the buffer {@code B = overlong_buffer}, gets
     * {@code min(0, -(L - (L_max - B)) / B) * overlong_penalty}: nothing up to {@code L_max - B} tokens,
     * then a penalty growing linearly to {@code -overlong_penalty} at the budget.
     */
    private List<RewardResult> penaliseOverlong(List<Generation> gens, List<RewardResult> results, int maxNewTokens) {
        int expected = maxNewTokens - overlongBuffer;
        List<RewardResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RewardResult r = results.get(i);
            int exceed = gens.get(i).tokens().length - expected;
            if (exceed > 0) {
                double penalty = Math.min(0, -(double) exceed / overlongBuffer * overlongPenalty);
                Map<String, String> details = new LinkedHashMap<>(r.details());
                details.put("overlong", exceed + " tokens into the overlong buffer: " + penalty);
                r = new RewardResult(r.reward() + penalty, r.score(), r.outcome(), details);
            }
            out.add(r);
        }
        return out;
    }

    /**
     * {@return the results with the reward of every response that hit the budget set to
     * {@code truncated_reward}}. Without it the verifier only reads the answer, so a policy may learn
     * to write on after it (to the token budget) at no cost: a drift that, once it starts, feeds on itself.
     */
    private List<RewardResult> penaliseTruncated(List<Generation> gens, List<RewardResult> results) {
        List<RewardResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RewardResult r = results.get(i);
            if (gens.get(i).finishReason() == Generation.FinishReason.LENGTH) {
                Map<String, String> details = new LinkedHashMap<>(r.details());
                details.put("truncated", "reward " + r.reward() + " replaced by truncated_reward");
                r = new RewardResult(truncatedReward, r.score(), r.outcome(), details);
            }
            out.add(r);
        }
        return out;
    }
}
