package io.rlvr4j.verifier.math.internal;

import java.util.ArrayList;
import java.util.List;

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
            {"\\$", ""}, {"$", ""}, {"\\%", "%"}, {"{,}", ","},
            {"^\\circ", "\\degree "}, {"^{\\circ}", "\\degree "}, {"\\circ", "\\degree "}, {"°", "\\degree "},
            {"\u2212", "-"}, {"\u00d7", "\\times "}, {"\u00b7", "\\cdot "}, {"\u00f7", "\\div "}, {"\u2264", "\\le "},
            {"\u2265", "\\ge "}, {"\u2260", "\\ne "}, {"\u03c0", "\\pi "}, {"\u221e", "\\infty "}, {"\u221a", "\\sqrt"},
            {"\u00b1", "\\pm "}, {"\u222a", "\\cup "},
    };

    private LatexLexer() {}

    static String clean(String s) {
        String out = s;
        for (String[] r : CLEANUP) {
            if (out.contains(r[0])) out = out.replace(r[0], r[1]);
        }
        return out;
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
        if (intDigits >= 1 && intDigits <= 3) {
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
