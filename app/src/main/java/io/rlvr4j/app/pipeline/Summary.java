package io.rlvr4j.app.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of {@code summary.json} and {@code evaluations/*.json}. */
final class Summary {

    private Summary() {}

    static Map<String, Object> evaluation(EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("problems", r.problems());
        if (!Double.isNaN(r.greedyPass1())) m.put("greedy_pass@1", r.greedyPass1());
        if (r.samples() > 0) {
            Map<String, Object> sampled = new LinkedHashMap<>();
            sampled.put("n", r.samples());
            sampled.put("temperature", r.temperature());
            sampled.put("avg@" + r.samples(), r.avgAtN());
            if (!Double.isNaN(r.majAtN())) sampled.put("maj@" + r.samples(), r.majAtN());
            r.passAtEveryK().forEach((k, v) -> sampled.put("pass@" + k, v));
            sampled.put("mean_score", r.meanScore());
            m.put("sampled", sampled);
        }
        m.put("mean_response_tokens", r.meanResponseTokens());
        m.put("wall_s", r.seconds());
        return m;
    }
}
