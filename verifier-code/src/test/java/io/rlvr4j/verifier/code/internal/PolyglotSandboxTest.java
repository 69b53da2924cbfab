package io.rlvr4j.verifier.code.internal;

import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The contracts of the code verifier on the GraalVM sandbox with Python. */
class PolyglotSandboxTest {

    @Nested
    class Judging extends CodeVerifierContract {
        @Override
        Map<String, Object> sandbox() {
            return Map.of("sandbox", "graalvm");
        }
    }

    @Nested
    class Hostile extends HostileProgramsContract {
        @Override
        Map<String, Object> sandbox() {
            return Map.of("sandbox", "graalvm");
        }

        @Override
        int column() {
            return 0;
        }
    }
}
