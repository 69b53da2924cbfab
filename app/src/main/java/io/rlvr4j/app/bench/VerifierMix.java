package io.rlvr4j.app.bench;

import io.rlvr4j.api.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The built-in workload of {@code rlvr4j bench verifier}: every pair of the math verifier's
 * equivalence table ({@code verifier-math/src/test/resources/.../equivalence-cases.tsv}, copied in at
 * build time), each answer presented the way a policy writes it in RL: three in four at the end of a
 * worked solution of about 1,300 characters, inside {@code \boxed{}}; one in four bare, as a user of
 * {@code rlvr4j verify} gives it. The table covers every layer of the verifier, from identical strings to
 * symbolic identities and adversarial near-misses, so the benchmark reports each layer on its own.
 */
public final class VerifierMix {

    private static final String TABLE = "equivalence-cases.tsv";

    /**
     * A worked solution like those of MATH-style problems: inline maths, fractions, a display, so that
     * finding the final answer scans what a real response holds. It never contains a box itself.
     */
    private static final String SOLUTION = """
            Let's think step by step. We are given that $f(x) = \\frac{3x^2 - 5x + 2}{x - 1}$ for $x \\neq 1$, and we \
            want to simplify before substituting. Factoring the numerator, $3x^2 - 5x + 2 = (3x - 2)(x - 1)$, so \
            $f(x) = 3x - 2$ whenever $x \\neq 1$.

            Next, the problem asks for the value after the transformation $g(x) = f(2x) + \\sqrt{x^2 + 9}$. Evaluating \
            at $x = 4$ gives $f(8) = 22$ and $\\sqrt{16 + 9} = 5$, hence $g(4) = 27$. We double-check with the \
            original form: \\[ \\frac{3 \\cdot 64 - 40 + 2}{8 - 1} = \\frac{154}{7} = 22, \\] which agrees.

            Now we combine this with the second condition. Since the sum of the roots of $x^2 - 7x + 10 = 0$ is $7$ \
            and their product is $10$, the roots are $2$ and $5$. Substituting each root into the expression and \
            adding, we get $2^3 + 5^3 = 8 + 125 = 133$, and dividing by the number of roots, $\\frac{133}{2}$.

            Finally, we simplify the remaining expression carefully, keeping track of signs and of the domain \
            restrictions noted above; none of the excluded points is reached, so no case is lost. Putting the \
            pieces together in the form the question asks for, we conclude that the final answer is \
            """;

    private VerifierMix() {}

    /** One comparison of the workload: the problem (its {@code answer} is the reference) and the response judged. */
    public record Task(Problem problem, String response) {}

    /** {@return the built-in workload, in the table's order} */
    public static List<Task> builtIn(String domain) {
        List<Task> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(VerifierMix.class.getResourceAsStream(TABLE),
                TABLE + " is missing from the build: rebuild with ./rlvr4j build");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("gold\t")) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 2) throw new IllegalStateException(TABLE + ":" + n + ": expected gold<TAB>pred");
                String response = out.size() % 4 == 3 ? f[1] : SOLUTION + "$\\boxed{" + f[1] + "}$.";
                out.add(new Task(Problem.of("table-" + n, domain, "", f[0]), response));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
