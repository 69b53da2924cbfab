package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The cases that Hugging Face's Math-Verify and the Qwen2.5-Math grader test themselves
 * ({@code upstream-cases.tsv}, with file and line of each), through the whole verifier. Those
 * projects are more lenient in places (decimal commas, labelled answers, several boxes) and this
 * verifier deliberately stricter, so the test pins the agreement rather than demanding all of it,
 * and demands that no case upstream calls different is called equal here.
 */
class UpstreamCasesTest {

    /** Measured when the table was added; raise it as rules are added, never lower it. */
    private static final int MIN_AGREEMENT = 265;

    @Test
    void agreesWithUpstreamAndNeverCallsEqualWhatUpstreamCallsDifferent() throws IOException {
        Verifier v = new MathRewardFunction().create(Settings.of(Map.of()));
        int agree = 0;
        int total = 0;
        List<String> falseEqual = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/io/rlvr4j/verifier/math/upstream-cases.tsv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("gold\t")) continue;
                String[] f = line.split("\t", -1);
                boolean want = f[2].equals("equal");
                RewardResult res = v.score(Problem.of("u", "math", "q", f[0]), f[1]);
                total++;
                if (res.correct() == want) agree++;
                else if (res.correct()) falseEqual.add(f[3] + ": " + f[0] + " vs " + f[1]);
            }
        }
        assertThat(falseEqual).as("called equal here, different upstream").isEmpty();
        assertThat(agree).as("agreement with upstream over %d cases", total).isGreaterThanOrEqualTo(MIN_AGREEMENT);
    }
}
