package io.rlvr4j.app.bench;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.Verifier;
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
 * How often a math verifier agrees with the cases Hugging Face's Math-Verify and another widely used math
 * grader test themselves ({@code verifier-math/src/test/resources/.../upstream-cases.tsv}, copied in at
 * build time, each with its file and line upstream). A verifier may disagree where upstream is more
 * lenient; it must never call equal what upstream calls different.
 *
 * @param cases the cases judged
 * @param agree those judged as upstream judges them
 * @param falseEqual the cases upstream calls different that the verifier called equal ({@code source: gold vs pred})
 * @param missed the cases upstream calls equal that the verifier did not
 */
public record UpstreamAgreement(int cases, int agree, List<String> falseEqual, List<String> missed) {

    private static final String TABLE = "upstream-cases.tsv";

    /** {@return the share of cases judged as upstream judges them} */
    public double share() {
        return cases == 0 ? 0 : (double) agree / cases;
    }

    /** {@return the agreement of {@code verifier} over the upstream cases} */
    public static UpstreamAgreement measure(Verifier verifier, String domain) {
        int cases = 0;
        int agree = 0;
        List<String> falseEqual = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(UpstreamAgreement.class.getResourceAsStream(TABLE),
                TABLE + " is missing from the build: rebuild with ./rlvr4j build");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("gold\t")) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 4) throw new IllegalStateException(TABLE + ":" + n + ": expected gold, pred, expected, source");
                boolean want = f[2].equals("equal");
                boolean got = verifier.score(Problem.of("upstream-" + n, domain, "", f[0]), f[1]).correct();
                cases++;
                if (got == want) agree++;
                else (got ? falseEqual : missed).add(f[3] + ": " + f[0] + " vs " + f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UpstreamAgreement(cases, agree, List.copyOf(falseEqual), List.copyOf(missed));
    }
}
