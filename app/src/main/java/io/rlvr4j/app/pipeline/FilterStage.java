package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An offline pass-rate filter ({@code type: filter}, as AceReason-Nemotron and Skywork-OR1 filter
 * their RL prompts): samples {@code n} responses to each prompt with the stage's model (the run's
 * current one: the starting model of the RL stage after it), and keeps the prompts whose pass rate
 * (accepted responses / n) lies in {@code pass_rate: [low, high]} (default [0, 0.875]: drop the prompts
 * solved 8 times in 8). The kept problems, with their {@code pass_rate} in the metadata, are the data
 * set {@code output}. The stage's facts give the prompts tested and kept, per domain, and how many had
 * each number of accepted responses. See {@link SamplingStage} for the sampling settings.
 */
final class FilterStage extends SamplingStage {

    private final double low;
    private final double high;

    FilterStage(String name, Settings s, DataSets data) {
        super(name, s, data, 8);
        double[] band = StageSettings.band(s, "pass_rate", new double[] {0, 0.875}, "the pass rates of the prompts kept, e.g. [0, 0.875]");
        this.low = band[0];
        this.high = band[1];
    }

    @Override
    public String type() {
        return "filter";
    }

    @Override
    Made make(List<Scored> scored) {
        List<Problem> kept = new ArrayList<>();
        Map<String, Map<String, Object>> domains = byDomain(scored);
        Map<Integer, Integer> histogram = new TreeMap<>();
        for (Scored s : scored) {
            int c = s.correct();
            histogram.merge(c, 1, Integer::sum);
            double rate = c / (double) n;
            if (rate >= low && rate <= high) {
                Map<String, Object> metadata = new LinkedHashMap<>(s.problem().metadata());
                metadata.put("pass_rate", rate);
                Problem p = s.problem();
                kept.add(new Problem(p.id(), p.domain(), p.prompt(), p.messages(), p.answer(), metadata));
                domains.get(p.domain()).merge("kept", 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("prompts", scored.size());
        facts.put("samples_per_prompt", n);
        facts.put("pass_rate", List.of(low, high));
        facts.put("kept", kept.size());
        Map<String, Integer> byCorrect = new LinkedHashMap<>();
        histogram.forEach((c, count) -> byCorrect.put(c + "/" + n, count));
        facts.put("prompts_by_accepted", byCorrect);
        facts.put("by_domain", domains);
        return new Made(kept, facts);
    }
}
