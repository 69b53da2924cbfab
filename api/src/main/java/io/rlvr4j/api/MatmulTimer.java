package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;

/**
 * An optional capability of a {@link PolicyBackend} or a {@link RolloutEngine}: timing its own
 * float32 matrix product on the device and threads its settings choose. Benchmarks read a model's
 * throughput against it: the products of the model's shapes are the most a plugin's decoding or
 * training could reach on that machine (its roofline), so the share of it reached says how much of
 * the machine a plugin uses, independently of how fast the machine is.
 */
public interface MatmulTimer {

    /**
     * Multiplies a random {@code [m, k]} matrix by a random {@code [k, n]} one, once untimed and then
     * {@code reps} times, and {@return the floating-point operations per second of the fastest run}
     * ({@code 2 m k n} operations a product; the result is brought back from the device, so the time
     * is the product's, not its launch's).
     *
     * @param settings this plugin's configuration slice, as for {@code open}
     */
    double matmulFlopsPerSecond(int m, int k, int n, int reps, Settings settings);
}
