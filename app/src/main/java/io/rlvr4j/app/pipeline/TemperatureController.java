package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code temperature_control}: holds the temperature-adjusted entropy (the entropy of the distribution
 * the rollouts are sampled from, {@code actor/entropy_adjusted}, or {@code actor/entropy} at
 * temperature 1) at a target by moving the sampling temperature, as AceReason-Nemotron 1.1 does
 * (target about 0.3). The rule, every {@code every} steps, with {@code H} the mean entropy of those
 * steps and {@code T} the temperature:
 * <pre>
 *   T ← clamp(T + clamp(gain · (target − H), −max_change, max_change), min, max)
 * </pre>
 * a bounded proportional step: entropy rises with temperature, so too little entropy raises it. The
 * stage's {@code sampling.temperature} is where it starts. Every step logs
 * {@code temperature/value} (the step's temperature), {@code temperature/target_entropy} and
 * {@code temperature/entropy} (measured); the temperature and the window's sum are saved in
 * checkpoints. Settings: {@code target_entropy} (required), {@code every} (5), {@code gain} (0.5),
 * {@code max_change} (0.05), {@code min} (0.3), {@code max} (1.5).
 */
final class TemperatureController implements StepListener {

    private final double target;
    private final int every;
    private final double gain;
    private final double maxChange;
    private final double min;
    private final double max;
    private double temperature = Double.NaN;
    private double windowSum;
    private int windowSteps;

    private TemperatureController(double target, int every, double gain, double maxChange, double min, double max) {
        this.target = target;
        this.every = every;
        this.gain = gain;
        this.maxChange = maxChange;
        this.min = min;
        this.max = max;
    }

    /** {@return the stage's controller, or null when it has none} */
    static TemperatureController read(Settings stage) {
        if (!stage.has("temperature_control")) return null;
        Settings s = stage.section("temperature_control");
        if (!s.has("target_entropy")) throw s.missing("target_entropy", "the entropy to hold, e.g. 0.3 (AceReason-Nemotron 1.1)");
        double target = s.finiteNumber("target_entropy", 0.3);
        if (!(target > 0)) throw s.invalid("target_entropy", "must be > 0");
        int every = StageSettings.positive(s, "every", 5);
        double gain = s.finiteNumber("gain", 0.5);
        if (!(gain > 0)) throw s.invalid("gain", "must be > 0");
        double maxChange = s.finiteNumber("max_change", 0.05);
        if (!(maxChange > 0)) throw s.invalid("max_change", "must be > 0");
        double min = s.finiteNumber("min", 0.3);
        double max = s.finiteNumber("max", 1.5);
        if (!(min > 0 && min <= max)) throw s.invalid("min", "must be > 0 and <= max (" + max + ")");
        s.rejectUnknown();
        return new TemperatureController(target, every, gain, maxChange, min, max);
    }

    @Override
    public String name() {
        return "temperature_control";
    }

    @Override
    public SamplingParams beforeStep(long step, SamplingParams params) {
        if (Double.isNaN(temperature)) temperature = Math.max(min, Math.min(max, params.temperature()));
        return params.withTemperature(temperature);
    }

    @Override
    public void afterStep(long step, RolloutCollector.Batch batch, Map<String, Double> metrics) {
        Double measured = metrics.getOrDefault("actor/entropy_adjusted", metrics.get("actor/entropy"));
        metrics.put("temperature/value", temperature);
        metrics.put("temperature/target_entropy", target);
        if (measured != null && Double.isFinite(measured)) {
            metrics.put("temperature/entropy", measured);
            windowSum += measured;
            windowSteps++;
        }
        if (step % every == 0 && windowSteps > 0) {
            double h = windowSum / windowSteps;
            double change = Math.max(-maxChange, Math.min(maxChange, gain * (target - h)));
            temperature = Math.max(min, Math.min(max, temperature + change));
            windowSum = 0;
            windowSteps = 0;
        }
    }

    /** {@return the temperature the next step samples at} (NaN before the first) */
    double temperature() {
        return temperature;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("temperature", temperature);
        s.put("window_sum", windowSum);
        s.put("window_steps", windowSteps);
        return s;
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (!(state.get("temperature") instanceof Number t) || !(state.get("window_sum") instanceof Number sum)
                || !(state.get("window_steps") instanceof Number steps)) {
            throw new IllegalArgumentException("the saved temperature controller state is incomplete: " + state);
        }
        temperature = t.doubleValue();
        windowSum = sum.doubleValue();
        windowSteps = steps.intValue();
    }
}
