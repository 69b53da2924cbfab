package io.rlvr4j.verifier.math.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a LaTeX answer into tokens, after the clean-up that only ever drops presentation:
 * {@code \left \right \big \displaystyle}, spacing commands, {@code $}, and the {@code \dfrac}/
 * {@code \tfrac} and {@code \dbinom} variants. Numbers are read whole, including thousands separators
 * written without spaces ({@code 1,000}, {@code 1{,}000}, {@code 1\,000}: groups of exactly three
 * digits) and scientific notation ({@code 1.5e3}); a comma followed by a space, or by a group that is
 * not three digits, separates answers instead.
 */
final class LatexLexer {

    enum Kind { NUM, LETTER, CMD, SYM, EOF }

    /**
     * One token.
     *
     * @param kind what it is
     * @param text the number's digits, the letter, the command's name without backslash, or the symbol
     * @param spaced whether white space preceded it
     */
    record Token(Kind kind, String text, boolean spaced) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }

        boolean sym(String t) {
            return is(Kind.SYM, t);
        }

        boolean cmd(String t) {
            return is(Kind.CMD, t);
        }
    }

    /** Raised for text that is not an answer this lexer or the parser understands. */
    static final class SyntaxException extends RuntimeException {
        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    private static final String[][] CLEANUP = {
            {"\\displaystyle", ""}, {"\\textstyle", ""}, {"\\left.", ""}, {"\\right.", ""},
            {"\\left", ""}, {"\\right", ""}, {"\\bigl", ""}, {"\\bigr", ""}, {"\\Bigl", ""}, {"\\Bigr", ""},
            {"\\biggl", ""}, {"\\biggr", ""}, {"\\big", ""}, {"\\Big", ""}, {"\\bigg", ""}, {"\\Bigg", ""},
            {"\\dfrac", "\\frac"}, {"\\tfrac", "\\frac"}, {"\\cfrac", "\\frac"}, {"\\dbinom", "\\binom"}, {"\\tbinom", "\\binom"},
            {",\\! ", ","}, {"\\!", ""}, {"\\;", " "}, {"\\:", " "}, {"\\qquad", " "}, {"\\quad", " "}, {"~", " "},
            {"\\$", ""}, {"$", ""}, {"\\%", "%"},
            {"^\\circ", "\\degree "}, {"^{\\circ}", "\\degree "}, {"\\circ", "\\degree "}, {"°", "\\degree "},
            {"\u2212", "-"}, {"\u00d7", "\\times "}, {"\u00b7", "\\cdot "}, {"\u00f7", "\\div "}, {"\u2264", "\\le "},
            {"\u2265", "\\ge "}, {"\u2260", "\\ne "}, {"\u03c0", "\\pi "}, {"\u221e", "\\infty "}, {"\u221a", "\\sqrt"},
            {"\u00b1", "\\pm "}, {"\u222a", "\\cup "},
    };

    private LatexLexer() {}

    /** {@code \\frac} in JSON written twice over: a doubled backslash before a command that an answer uses. */
    private static final Pattern DOUBLED_BACKSLASH = Pattern.compile("\\\\(?=\\\\(?:d?frac|left|right|sqrt|pi|leq?|geq?|neq?|lt|gt|"
            + "cdot|times|text|infty|approx|in|cup|pm|mp|boxed|mathbf|mathrm|circ|dfrac|theta|alpha|beta|log|ln|sin|cos|tan)(?![A-Za-z]))");
    /** {@code x != 3}: not equal (after a digit, {@code 5!=120} stays a factorial). */
    private static final Pattern NOT_EQUAL = Pattern.compile("(?<=[\\p{L}\\s)}])!=");

    static String clean(String s) {
        String out = s;
        if (out.contains("\\\\")) out = DOUBLED_BACKSLASH.matcher(out).replaceAll("");
        out = bracedCommas(out);
        if (out.contains("!=")) out = NOT_EQUAL.matcher(out).replaceAll("\\\\ne ");
        if (!mayNeedCleanup(out)) return out; // most answers ("72", "x+1"): none of the ~50 scans below can match
        for (String[] r : CLEANUP) {
            if (out.contains(r[0])) out = out.replace(r[0], r[1]);
        }
        return out;
    }

    /** {@return whether {@code s} has a character that every {@link #CLEANUP} pattern contains one of} */
    private static boolean mayNeedCleanup(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '$' || c == '~' || c >= 0x80) return true;
        }
        return false;
    }

    /** {@return s with {@code 14{,}916} and {@code 14 {, }916} (a LaTeX thousands comma) as {@code 14,916}} One pass, no copy if none. */
    private static String bracedCommas(String s) {
        int at = s.indexOf('{');
        if (at < 0 || s.indexOf(',', at) < 0) return s;
        StringBuilder out = null;
        int copied = 0;
        for (int i = at; i >= 0 && i < s.length(); i = s.indexOf('{', i + 1)) {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) == ' ') j++;
            if (j >= s.length() || s.charAt(j) != ',') continue;
            j++;
            while (j < s.length() && s.charAt(j) == ' ') j++;
            if (j >= s.length() || s.charAt(j) != '}') continue;
            int a = i;
            while (a > copied && s.charAt(a - 1) == ' ') a--;
            int b = j + 1;
            while (b < s.length() && s.charAt(b) == ' ') b++;
            if (out == null) out = new StringBuilder(s.length());
            out.append(s, copied, a).append(',');
            copied = b;
            i = b - 1;
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    static List<Token> tokenize(String raw) {
        String s = clean(raw);
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        boolean spaced = false;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                spaced = true;
                i++;
                continue;
            }
            if (c >= '0' && c <= '9' || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                int j = number(s, i);
                out.add(new Token(Kind.NUM, digitsOnly(s.substring(i, j)), spaced));
                i = j;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new SyntaxException("a lone backslash");
                int j = i + 1;
                if (Character.isLetter(s.charAt(j))) {
                    while (j < n && Character.isLetter(s.charAt(j))) j++;
                    out.add(new Token(Kind.CMD, s.substring(i + 1, j), spaced));
                    i = j;
                } else {
                    char d = s.charAt(j);
                    if (d == ',' || d == ' ') { // a thin space, a control space
                        spaced = true;
                        i = j + 1;
                        continue;
                    }
                    out.add(new Token(Kind.CMD, String.valueOf(d), spaced));
                    i = j + 1;
                }
            } else if (Character.isLetter(c)) {
                out.add(new Token(Kind.LETTER, String.valueOf(c), spaced));
                i++;
            } else {
                out.add(new Token(Kind.SYM, String.valueOf(c), spaced));
                i++;
            }
            spaced = false;
        }
        out.add(new Token(Kind.EOF, "", spaced));
        return out;
    }

    /** {@return the end of the number starting at {@code i}}, thousands groups and an exponent included */
    private static int number(String s, int i) {
        int n = s.length();
        int j = i;
        while (j < n && Character.isDigit(s.charAt(j))) j++;
        int intDigits = j - i;
        // thousands groups: 1,000 or 1\,000, only right after 1-3 leading digits, exactly three digits each
        if (intDigits >= 1 && intDigits <= 3 && s.charAt(i) != '0') { // 0,111 is not a thousands number
            int k = j;
            while (true) {
                int sep = separatorLength(s, k);
                if (sep == 0) break;
                int g = k + sep;
                int e = g;
                while (e < n && Character.isDigit(s.charAt(e))) e++;
                if (e - g != 3) break;
                k = e;
            }
            j = k;
        }
        // a decimal point needs digits after it, except at the end (3.) or before a repeating block (0.\overline{3})
        if (j < n && s.charAt(j) == '.' && (j + 1 == n || Character.isDigit(s.charAt(j + 1)) || s.startsWith("\\overline", j + 1))) {
            j++;
            while (j < n && Character.isDigit(s.charAt(j))) j++;
        }
        // 1.5e3, 2E-4: only with digits after the e
        if (j + 1 < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
            int d = k;
            while (d < n && Character.isDigit(s.charAt(d))) d++;
            if (d > k && (d == n || !Character.isLetter(s.charAt(d)))) j = d;
        }
        return j;
    }

    private static int separatorLength(String s, int k) {
        if (s.startsWith(",", k)) return 1;
        if (s.startsWith("\\,", k)) return 2;
        return 0;
    }

    private static String digitsOnly(String number) {
        return number.replace(",", "").replace("\\", "");
    }
}
