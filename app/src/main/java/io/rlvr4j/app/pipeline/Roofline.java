package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.MatmulTimer;
import io.rlvr4j.api.ModelShape;
import io.rlvr4j.api.Plugin;
import io.rlvr4j.api.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The roofline of a plugin on a model's shape: each of the model's weight products ({@link ModelShape#matmuls})
 * timed on the plugin's own matmul ({@link MatmulTimer}) at the number of rows a benchmark runs at
 * once, and the time one token's products take at those speeds. A benchmark's share of the roofline is
 * that time over the time it measured per token: 1 would mean the plugin did nothing but the products,
 * each at the speed of a bare product of its shape.
 *
 * @param rows the rows of each product ({@code [rows, in] x [in, out]})
 * @param flopsPerSecond by product name, the speed measured
 * @param secondsPerToken one token's weight products at those speeds (forward only)
 * @param flopsPerToken one token's weight-product operations (forward only)
 */
public record Roofline(int rows, Map<String, Double> flopsPerSecond, double secondsPerToken, double flopsPerToken) {

    /** The largest number of rows timed: beyond it a product's speed no longer grows, and a vocabulary-wide one takes seconds. */
    static final int MAX_ROWS = 1024;

    /** {@return the plugin's roofline on {@code shape}}; empty when the plugin cannot time its matmul */
    static Optional<Roofline> measure(Plugin plugin, Settings settings, ModelShape shape, int rows, int reps) {
        if (!(plugin instanceof MatmulTimer timer)) return Optional.empty();
        int m = Math.min(rows, MAX_ROWS);
        Map<String, Double> speeds = new LinkedHashMap<>();
        double seconds = 0;
        for (ModelShape.Matmul mm : shape.matmuls()) {
            double speed = timer.matmulFlopsPerSecond(m, mm.in(), mm.out(), reps, settings);
            speeds.put(mm.name(), speed);
            seconds += mm.flopsPerToken() / speed;
        }
        return Optional.of(new Roofline(m, java.util.Collections.unmodifiableMap(speeds), seconds, shape.matmulFlopsPerToken()));
    }

    /** {@return the operations per second of one token's products at the roofline} */
    double tokenFlopsPerSecond() {
        return flopsPerToken / secondsPerToken;
    }
}
