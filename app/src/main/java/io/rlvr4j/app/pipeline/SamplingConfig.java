package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A stage's sampling keys as its configuration gives them: {@code temperature} (1.0), {@code top_p}
 * (1.0), {@code top_k} (0), {@code max_new_tokens} (64), {@code stop} (a string or a list: texts that
 * end a response) and {@code include_stop_str_in_output} (false, as vLLM: the response text ends
 * before the stop string). Where the configuration sets no {@code temperature}, {@code top_p} or
 * {@code top_k}, the model's recommended value (its {@code generation_config.json}) is used in place of
 * the default ({@link #resolve}).
 *
 * @param configured the parameters with the defaults for what is not set (no stop tokens yet)
 * @param unset the keys of {@code temperature}, {@code top_p}, {@code top_k} the configuration does not set
 * @param source the settings read, for error messages
 */
record SamplingConfig(SamplingParams configured, Set<String> unset, Settings source) {

    private static final List<String> MODEL_KEYS = List.of("temperature", "top_p", "top_k");

    static SamplingConfig read(Settings s, long seed) {
        List<String> stops = s.strings("stop", List.of());
        for (String stop : stops) if (stop.isEmpty()) throw s.invalid("stop", "a stop string must not be empty");
        double temperature = s.finiteNumber("temperature", 1.0);
        if (!(temperature >= 0)) throw s.invalid("temperature", "must be >= 0");
        int topK = s.integer("top_k", 0);
        if (topK < 0) throw s.invalid("top_k", "must be >= 0");
        SamplingParams p = new SamplingParams(temperature, StageSettings.probability(s, "top_p", 1.0), topK,
                StageSettings.positive(s, "max_new_tokens", 64), Set.of(), seed, stops, s.flag("include_stop_str_in_output", false));
        return new SamplingConfig(p, Set.copyOf(MODEL_KEYS.stream().filter(k -> !s.has(k)).toList()), s);
    }

    /**
     * {@return the parameters to sample with}: the configured ones, with {@code defaults} (the model's
     * recommendation, by key) for the keys the configuration does not set, and {@code stopTokens}. What
     * is taken from the model is said on {@code log}, once per stage.
     */
    SamplingParams resolve(Map<String, Double> defaults, Set<Integer> stopTokens, String stage, PrintStream log) {
        SamplingParams p = configured;
        double temperature = p.temperature();
        double topP = p.topP();
        int topK = p.topK();
        List<String> taken = new ArrayList<>();
        for (String key : MODEL_KEYS) {
            Double v = defaults.get(key);
            if (v == null || !unset.contains(key)) continue;
            switch (key) {
                case "temperature" -> temperature = v;
                case "top_p" -> topP = v;
                default -> topK = (int) Math.round(v);
            }
            taken.add(key + " " + (key.equals("top_k") ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%s", v)));
        }
        if (!taken.isEmpty() && log != null) {
            log.println(stage + ": sampling " + String.join(", ", taken) + " from the model's generation_config.json (set "
                    + source.prefix() + " keys to override)");
        }
        return new SamplingParams(temperature, topP, topK, p.maxNewTokens(), stopTokens, p.seed(), p.stopStrings(), p.keepStopString());
    }
}
