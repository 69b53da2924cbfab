package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code length_curriculum}: the token budget by step ranges, e.g. AceReason-Nemotron's
 * 8k → 16k → 24k → 32k as
 * <pre>
 *   length_curriculum: [{from_step: 1, max_new_tokens: 8192}, {from_step: 300, max_new_tokens: 16384}, …]
 * </pre>
 * From each {@code from_step} on (the first must be 1; increasing), responses are sampled with that
 * {@code max_new_tokens}; the overlong options and {@code truncated_reward} apply to the step's budget.
 * Each step logs {@code response_length/limit}. A pure function of the step: nothing to save.
 */
final class LengthCurriculum implements StepListener {

    private final long[] fromSteps;
    private final int[] limits;

    private LengthCurriculum(long[] fromSteps, int[] limits) {
        this.fromSteps = fromSteps;
        this.limits = limits;
    }

    /** {@return the stage's curriculum, or null when it has none} */
    static LengthCurriculum read(Settings stage) {
        if (!stage.has("length_curriculum")) return null;
        List<Settings> phases = stage.sectionList("length_curriculum");
        if (phases.isEmpty()) throw stage.invalid("length_curriculum", "expected a list of {from_step, max_new_tokens}, the first from_step 1");
        long[] from = new long[phases.size()];
        int[] limits = new int[phases.size()];
        for (int i = 0; i < phases.size(); i++) {
            Settings p = phases.get(i);
            from[i] = p.longValue("from_step", i == 0 ? 1 : -1);
            if (i == 0 && from[i] != 1) throw p.invalid("from_step", "the first phase must start at step 1");
            if (i > 0 && from[i] <= from[i - 1]) throw p.invalid("from_step", "must be greater than the phase before's (" + from[i - 1] + ")");
            if (!p.has("max_new_tokens")) throw p.missing("max_new_tokens", "the phase's token budget");
            limits[i] = StageSettings.positive(p, "max_new_tokens", 1);
            p.rejectUnknown();
        }
        return new LengthCurriculum(from, limits);
    }

    /** {@return the budget of step {@code step}} */
    int limit(long step) {
        int limit = limits[0];
        for (int i = 0; i < fromSteps.length && fromSteps[i] <= step; i++) limit = limits[i];
        return limit;
    }

    /** {@return the budgets, phase by phase} */
    List<Integer> limits() {
        List<Integer> out = new ArrayList<>();
        for (int l : limits) out.add(l);
        return out;
    }

    @Override
    public String name() {
        return "length_curriculum";
    }

    @Override
    public SamplingParams beforeStep(long step, SamplingParams params) {
        return params.withMaxNewTokens(limit(step));
    }

    @Override
    public void afterStep(long step, RolloutCollector.Batch batch, Map<String, Double> metrics) {
        metrics.put("response_length/limit", (double) limit(step));
    }
}
