package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EquivalenceTest {

    private final Equivalence eq = new Equivalence();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -4                          | -2^2
            \\frac{1}{2}                | 0.5
            \\frac12                    | 1/2
            2\\frac{1}{2}               | 5/2
            1,000                       | 1000
            1.5\\times10^{3}            | 1500
            1.5e3                       | 1500
            \\sqrt{8}                   | 2\\sqrt2
            \\log 100                   | 2
            \\sin 2x                    | 2\\sin x\\cos x
            \\sin^2 x                   | 1-\\cos^2 x
            5!                          | 120
            {5 \\choose 2}              | \\binom{5}{2}
            0.\\overline{3}             | \\frac13
            0.1\\overline{6}            | \\frac16
            30^\\circ                   | 30
            5\\text{ cm}                | 5
            3+4i                        | 4i+3
            e^{i\\pi}                   | -1
            (1,2]                       | (1, 2]
            \\{1,2,3\\}                 | \\{3,1,2\\}
            1, 2                        | 2, 1
            x=5                         | 5
            1\\pm\\sqrt2                | 1-\\sqrt{2},1+\\sqrt{2}
            x > 2                       | (2,\\infty)
            1 < x \\leq 3               | (1,3]
            x+y=1                       | y=1-x
            \\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} | \\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}
            50\\%                       | 0.5
            \\text{Monday}              | monday
            (B)                         | \\textbf{(B) }
            \\frac{x^2-1}{x-1}          | x+1
            """)
    void equal(String gold, String pred) {
        Equivalence.Verdict v = eq.compare(gold.strip(), pred.strip());
        assertThat(v.equal()).as(v.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = '|', textBlock = """
            4                           | -2^2
            \\frac{1}{3}                | 0.33
            (1,2]                       | [1,2]
            (1,2)                       | (2,1)
            2                           | 12
            2                           | 2x
            1000000                     | \\infty
            1                           | 10^{10^{10}}
            1                           | 100000!
            x^2                         | 2x
            30^\\circ                   | \\frac{\\pi}{6}
            50                          | 0.5
            (B)                         | C
            \\sqrt2                     | \\frac{141421}{100000}
            1,2                         | 12
            \\sqrt2                     | \\frac{141421356237}{100000000000}
            x                           | x+10^{-12}
            \\pi                        | \\frac{3141592653590}{1000000000000}
            """)
    void notEqual(String gold, String pred) {
        Equivalence.Verdict v = eq.compare(gold.strip(), pred.strip());
        assertThat(v.equal()).as(v.toString()).isFalse();
    }

    @Test
    void saysWhichLayerDecided() {
        assertThat(eq.compare("42", "42").layer()).isEqualTo("string");
        assertThat(eq.compare("42", "42.0").layer()).isEqualTo("number");
        assertThat(eq.compare("(1,2)", "(1, 2.0)").layer()).isEqualTo("structure");
        assertThat(eq.compare("\\sqrt4", "2^{2/2}").layer()).isEqualTo("number");
        assertThat(eq.compare("\\sqrt2", "2^{1/2}").layer()).isEqualTo("numeric");
        assertThat(eq.compare("\\pi", "\\frac{2\\pi}{2}").layer()).isEqualTo("numeric");
        assertThat(eq.compare("x+1", "1+x").layer()).isEqualTo("symbolic");
        assertThat(eq.compare("2", "\\frac{").reason()).startsWith("answer not understood");
    }
}
