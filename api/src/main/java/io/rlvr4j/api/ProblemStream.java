package io.rlvr4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An endless, deterministic stream of problems with a position that a checkpoint saves and
 * restores. A finite data set repeats in epochs (reshuffled per epoch with a seed, if configured).
 *
 * <p>Not thread-safe.
 */
public interface ProblemStream extends AutoCloseable {

    /** {@return the next problem} */
    Problem next();

    /** {@return how many problems {@link #next()} has returned since position 0} */
    long position();

    /** Moves to {@code position}, so that the next problem is the one that followed it before. */
    void seek(long position);

    /** {@return the number of distinct problems, if finite} (a generator has none) */
    OptionalLong size();

    /**
     * {@return what the source noted while loading, for the user to read}: e.g. rows of a file left
     * out because they have no usable answer, counted by reason. Empty by default.
     */
    default List<String> notes() {
        return List.of();
    }

    /** {@return the next {@code n} problems} */
    default List<Problem> next(int n) {
        List<Problem> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    @Override
    default void close() {}
}
