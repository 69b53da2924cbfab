package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Answers built to hang, exhaust or fool a verifier end in bounded time, judged not equal. */
class HostileAnswersTest {

    private static final Verifier VERIFIER = new MathRewardFunction().create(Settings.of(Map.of("time_limit_ms", 1000)));

    static Stream<String> hostile() {
        return Stream.of(
                "10^{10^{10}}", "10^{10^{10^{10}}}", "100000!", "(10^{1000})!", "\\binom{10^{9}}{5 \\cdot 10^{8}}",
                "9".repeat(5000), "1+".repeat(2500) + "1", "(".repeat(600) + "1" + ")".repeat(600),
                "\\sqrt{".repeat(300) + "2" + "}".repeat(300), "\\frac{1}{".repeat(200) + "2" + "}".repeat(200),
                "x^{".repeat(100) + "x" + "}".repeat(100), "e^{e^{e^{e^{e^{e^{10}}}}}}", "\\sin(10^{100})",
                "2^{-10^{10}}", "0.\\overline{" + "9".repeat(49) + "}", "1.5e999999999", "\\{" + "1,".repeat(3000) + "1\\}",
                "\\begin{pmatrix}" + "1&".repeat(500) + "1\\end{pmatrix}", "\\ln(\\ln(\\ln(\\ln(0))))", "x/0", "0/0");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void endsQuicklyAndIsNotEqualToASmallAnswer(String answer) {
        Problem p = Problem.of("h", "math", "q", "2");
        RewardResult r = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> VERIFIER.score(p, "\\boxed{" + answer + "}"));
        assertThat(r.correct()).as(r.details().toString()).isFalse();
    }
}
