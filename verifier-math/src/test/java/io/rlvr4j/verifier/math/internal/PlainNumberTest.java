package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written plain-number check says what the regular expression it replaced said. */
class PlainNumberTest {

    private static final Pattern REGEX = Pattern.compile("[+-]?(?:\\d{1,400}(?:\\.\\d{0,400})?|\\.\\d{1,400})");

    @Test
    void agreesWithTheRegularExpression() {
        List<String> cases = new ArrayList<>(List.of("", "+", "-", ".", "+.", "1", "-1", "+0.5", "1.", ".5", "-.5", "1.2.3", "1e5",
                " 1", "1 ", "1,5", "\u0661\u0662", "0x10", "--1", "1-", "1".repeat(400), "1".repeat(401), "1." + "2".repeat(400),
                "1." + "2".repeat(401), "." + "3".repeat(400), "." + "3".repeat(401)));
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "0123456789.+-e ,";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(7); j > 0; j--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            cases.add(sb.toString());
        }
        for (String c : cases) assertThat(Equivalence.plainNumber(c)).as("'%s'", c).isEqualTo(REGEX.matcher(c).matches());
    }
}
