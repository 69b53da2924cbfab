package io.rlvr4j.data.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * A stream whose problem at each position is a pure function of that position, so that
 * {@link #seek(long)} only moves a cursor and a resumed run reads exactly what it would have read.
 * Not thread-safe.
 */
abstract class PositionalStream implements ProblemStream {

    private long position;

    /** {@return the problem at {@code position}} */
    abstract Problem at(long position);

    @Override
    public final Problem next() {
        return at(position++);
    }

    @Override
    public final long position() {
        return position;
    }

    @Override
    public final void seek(long newPosition) {
        if (newPosition < 0) throw new IllegalArgumentException("position must be >= 0, but is: " + newPosition);
        position = newPosition;
    }

    /** {@return an endless stream whose problem at position {@code p} is {@code at.apply(p)}} (a generator's) */
    static ProblemStream endless(LongFunction<Problem> at) {
        return new PositionalStream() {
            @Override
            Problem at(long position) {
                return at.apply(position);
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.empty();
            }
        };
    }
}
