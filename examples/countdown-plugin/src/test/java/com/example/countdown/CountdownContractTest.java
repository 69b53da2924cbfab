package com.example.countdown;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.DataSourceContract;
import io.rlvr4j.api.contract.VerifierContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The SPI contracts of the rlvr4j-api test-jar, which every plugin runs. */
class CountdownContractTest {

    @Nested
    class Reward extends VerifierContract {
        @Override
        protected Verifier verifier() {
            return new CountdownReward().create(Settings.of(Map.of()));
        }

        @Override
        protected Problem supportedProblem() {
            return new Problem("c1", "countdown", "Use 3, 7 and 2 once each with + - * / to make 23.", List.of(), "23",
                    Map.of("numbers", List.of(3, 7, 2), "target", 23));
        }

        @Override
        protected String correctResponse() {
            return "7*3 is 21, plus 2: \\boxed{7*3+2}";
        }

        @Override
        protected String wrongResponse() {
            return "\\boxed{7+3+2}";
        }
    }

    @Nested
    class Problems extends DataSourceContract {
        @Override
        protected DataSource source() {
            return new CountdownProblems();
        }

        @Override
        protected Settings settings() {
            return Settings.of(Map.of("seed", 7, "count", 4, "max_number", 12, "max_target", 200));
        }
    }
}
