package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The verifier's contract as a table: {@code equivalence-cases.tsv} holds hundreds of reference/answer
 * pairs, equal and not equal, written from the rules in {@code docs/math-verifier.md}, adversarial
 * ones included. Each pair is checked in both directions where the rules are symmetric.
 */
class EquivalenceTableTest {

    private static final Equivalence EQUIVALENCE = new Equivalence();

    record Case(int line, String gold, String pred, boolean equal, String category, String note) {}

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(EquivalenceTableTest.class.getResourceAsStream(
                "/io/rlvr4j/verifier/math/equivalence-cases.tsv"), "equivalence-cases.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("gold\t")) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 3) throw new IllegalStateException("equivalence-cases.tsv:" + n + ": expected gold, pred, expected");
                boolean equal = switch (f[2].strip()) {
                    case "equal" -> true;
                    case "not_equal" -> false;
                    default -> throw new IllegalStateException("equivalence-cases.tsv:" + n + ": expected equal or not_equal");
                };
                out.add(new Case(n, f[0], f[1], equal, f.length > 3 ? f[3] : "", f.length > 4 ? f[4] : ""));
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> everyCaseOfTheTable() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThan(300);
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                "line " + c.line() + " [" + c.category() + "] " + c.gold() + " vs " + c.pred(), () -> {
                    Equivalence.Verdict v = EQUIVALENCE.compare(c.gold(), c.pred());
                    assertThat(v.equal()).as("%s vs %s (%s): layer %s, reason %s", c.gold(), c.pred(), c.note(), v.layer(), v.reason())
                            .isEqualTo(c.equal());
                })).toList();
    }
}
