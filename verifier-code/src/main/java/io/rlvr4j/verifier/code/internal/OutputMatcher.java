package io.rlvr4j.verifier.code.internal;

/**
 * Compares a program's output with the expected one token by token: white space of any amount and
 * kind separates tokens (so trailing spaces and a missing last newline do not matter), and, when a
 * tolerance is set, two tokens that are both numbers match within it (absolute or relative).
 */
record OutputMatcher(double floatTolerance) implements OutputCheck {

    /** Decimal numbers only: Java would also read "NaN", "0x1p3" or "1.5d". */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static final OutputMatcher EXACT_TOKENS = new OutputMatcher(0);

    OutputMatcher {
        if (!(floatTolerance >= 0)) throw new IllegalArgumentException("float tolerance must be >= 0");
    }

    @Override
    public boolean accepts(int test, String expected, String actual) {
        return matches(expected, actual);
    }

    boolean matches(String expected, String actual) {
        String[] e = tokens(expected);
        String[] a = tokens(actual);
        if (e.length != a.length) return false;
        for (int i = 0; i < e.length; i++) {
            if (!e[i].equals(a[i]) && !(floatTolerance > 0 && closeNumbers(e[i], a[i]))) return false;
        }
        return true;
    }

    private static String[] tokens(String s) {
        String t = s.strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    private boolean closeNumbers(String e, String a) {
        if (!NUMBER.matcher(e).matches() || !NUMBER.matcher(a).matches()) return false;
        double x = Double.parseDouble(e);
        double y = Double.parseDouble(a);
        if (!Double.isFinite(x) || !Double.isFinite(y)) return false;
        double d = Math.abs(x - y);
        return d <= floatTolerance || d <= floatTolerance * Math.abs(x);
    }
}
