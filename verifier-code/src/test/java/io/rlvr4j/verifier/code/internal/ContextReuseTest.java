package io.rlvr4j.verifier.code.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RewardResult.Outcome;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Programs run one after another in a reused context (one judge thread): a program that changes the
 * shared state must not change the verdict of the next one.
 */
class ContextReuseTest {

    static Verifier verifier;

    @BeforeAll
    static void start() {
        verifier = new CodeRewardFunction().create(Settings.of(Map.of("concurrency", 1)));
    }

    @AfterAll
    static void stop() {
        verifier.close();
    }

    static final Problem PI = new Problem("pi", "code", "q", List.of(), null,
            Map.of("inputs", List.of("\n"), "outputs", List.of("3.141592653589793 1000 ok\n")));
    static final String HONEST = "```python\nimport math, sys\nprint(math.pi, sys.getrecursionlimit(), 'ok')\n```";

    @ParameterizedTest
    @ValueSource(strings = {
            "import math\nmath.pi = 3",
            "import builtins\nbuiltins.print = lambda *a, **k: None",
            "import sys\nsys.setrecursionlimit(50)",
            "import sys, types\nfake = types.ModuleType('math')\nfake.pi = 3\nsys.modules['math'] = fake",
            "import sys\nsys.path.insert(0, '/tmp')",
            "import builtins\nbuiltins.int = float",
            "import __main__\n__main__.x = 1"})
    void aProgramThatChangesSharedStateDoesNotChangeTheNextVerdict(String poison) {
        RewardResult before = verifier.score(PI, HONEST);
        assertThat(before.outcome()).as(before.details().toString()).isEqualTo(Outcome.CORRECT);
        verifier.score(PI, "```python\n" + poison + "\n```");
        RewardResult after = verifier.score(PI, HONEST);
        assertThat(after.outcome()).as("after %s: %s", poison, after.details()).isEqualTo(Outcome.CORRECT);
    }
}
