package io.rlvr4j.data.internal;

import io.rlvr4j.api.Problem;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * An endless stream over a finite list of problems, in epochs. Position {@code p} is problem
 * {@code perm_e[p mod n]} of epoch {@code e = p / n}, where {@code perm_e} is the identity or, when
 * shuffling, a Fisher–Yates permutation seeded with {@code mix(seed, e)}. Every position is therefore a
 * pure function of (problems, shuffle, seed, p): {@link #seek(long)} only recomputes one permutation.
 *
 * <p>Not thread-safe.
 */
public final class EpochStream extends PositionalStream {

    private final List<Problem> problems;
    private final boolean shuffle;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] order;
    private final List<String> notes;

    EpochStream(List<Problem> problems, boolean shuffle, long seed) {
        this(problems, shuffle, seed, List.of());
    }

    /** @param notes what loading noted ({@link #notes()}) */
    public EpochStream(List<Problem> problems, boolean shuffle, long seed, List<String> notes) {
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = List.copyOf(problems);
        this.shuffle = shuffle;
        this.seed = seed;
        this.notes = List.copyOf(notes);
    }

    @Override
    public List<String> notes() {
        return notes;
    }

    @Override
    Problem at(long position) {
        int n = problems.size();
        long epoch = position / n;
        int index = (int) (position % n);
        if (epoch != cachedEpoch) {
            order = permutation(n, shuffle, Seeds.mix(seed, epoch));
            cachedEpoch = epoch;
        }
        return problems.get(order[index]);
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(problems.size());
    }

    /** {@return the identity, or a uniformly random permutation of {@code 0..n-1} drawn with {@code seed}} */
    static int[] permutation(int n, boolean shuffle, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (!shuffle) return p;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
