package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Problems drawn from several streams by weight: problem {@code p} comes from the component a seeded
 * draw for {@code p} picks, so the sequence is a pure function of the seed and a resumed run reads
 * exactly what it would have read ({@link #seek} replays the draws and seeks every component). How a run
 * holds math and code problems in one stage; each is then scored by the reward function of its domain.
 */
final class MixedStream implements ProblemStream {

    private final List<ProblemStream> components;
    private final double[] cumulative;
    private final long seed;
    private long position;

    /** @param weights positive, one per component */
    MixedStream(List<ProblemStream> components, List<Double> weights, long seed) {
        if (components.isEmpty() || components.size() != weights.size()) throw new IllegalArgumentException("one weight per component");
        this.components = List.copyOf(components);
        this.cumulative = new double[weights.size()];
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        double acc = 0;
        for (int i = 0; i < cumulative.length; i++) {
            acc += weights.get(i) / total;
            cumulative[i] = acc;
        }
        cumulative[cumulative.length - 1] = 1.0;
        this.seed = seed;
    }

    /** {@return the component that problem {@code p} comes from} */
    private int component(long p) {
        double u = new SplittableRandom(seed ^ (p * 0x9E3779B97F4A7C15L)).nextDouble();
        int i = 0;
        while (u >= cumulative[i]) i++;
        return i;
    }

    @Override
    public Problem next() {
        return components.get(component(position++)).next();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long newPosition) {
        if (newPosition < 0) throw new IllegalArgumentException("position must be >= 0, but is: " + newPosition);
        long[] counts = new long[components.size()];
        for (long p = 0; p < newPosition; p++) counts[component(p)]++;
        for (int i = 0; i < counts.length; i++) components.get(i).seek(counts[i]);
        position = newPosition;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        components.forEach(ProblemStream::close);
    }
}
