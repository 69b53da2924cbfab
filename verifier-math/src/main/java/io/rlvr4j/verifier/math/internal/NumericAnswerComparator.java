package io.rlvr4j.verifier.math.internal;

import java.util.Optional;

/**
 * Equivalence of two final answers, in order:
 * <ol>
 *   <li>the same text after {@link AnswerNormalizer#normalize(String)} ({@code $x^2+1$} and {@code x^2 + 1});
 *   <li>the same number, exactly, as {@link ExactNumber}s: {@code 0.5}, {@code 1/2}, {@code \frac{1}{2}}
 *       and {@code \dfrac12} are all equal; {@code 1,000} equals {@code 1000}; {@code 72.0} equals {@code 72};
 *   <li>a decimal within a relative {@value #RELATIVE_TOLERANCE} of a fraction that has no finite decimal
 *       expansion ({@code 0.3333333333} for {@code 1/3}): the decimal can only be an approximation.
 *       Two terminating numbers must be exactly equal, so {@code 1000000001} is not {@code 1000000000}.
 * </ol>
 * Symbolic equivalence ({@code \sqrt{8}} and {@code 2\sqrt{2}}) is out of scope here. Thread-safe.
 */
final class NumericAnswerComparator implements AnswerComparator {

    static final double RELATIVE_TOLERANCE = 1e-9;

    @Override
    public boolean equivalent(String candidate, String reference) {
        String a = AnswerNormalizer.normalize(candidate);
        String b = AnswerNormalizer.normalize(reference);
        if (a.equals(b)) return !a.isEmpty();
        Optional<ExactNumber> x = ExactNumber.parse(a);
        Optional<ExactNumber> y = ExactNumber.parse(b);
        if (x.isEmpty() || y.isEmpty()) return false;
        if (x.get().sameValue(y.get())) return true;
        boolean approximation = (x.get().decimal() && !y.get().terminating()) || (y.get().decimal() && !x.get().terminating());
        return approximation && x.get().closeTo(y.get(), RELATIVE_TOLERANCE);
    }
}
