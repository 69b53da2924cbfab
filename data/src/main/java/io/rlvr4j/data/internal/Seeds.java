package io.rlvr4j.data.internal;

/** Derives independent random seeds from several integers, so that a stream is a pure function of them. */
final class Seeds {

    private Seeds() {}

    /** {@return a well-mixed 64-bit seed from {@code parts}} (order matters) */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = splitMix(h ^ splitMix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** {@return a uniform draw in [0, 1) from {@code parts}}, a pure function of them */
    static double uniform(long... parts) {
        return (mix(parts) >>> 11) * 0x1.0p-53;
    }

    /** The finaliser of SplitMix64 (Steele, Lea &amp; Flood 2014): a bijection that scatters nearby inputs. */
    static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
