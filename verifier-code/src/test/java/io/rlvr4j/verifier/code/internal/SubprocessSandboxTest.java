package io.rlvr4j.verifier.code.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The same contracts on the CPython subprocess sandbox. It needs bubblewrap and python3: CI installs
 * them (scripts/install-sandbox.sh); elsewhere the tests are skipped with that message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubprocessSandboxTest {

    @BeforeAll
    void needsBubblewrap() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")) || Files.isExecutable(Path.of("/bin/bwrap")),
                "bubblewrap is not installed: run scripts/install-sandbox.sh to test the subprocess sandbox");
    }

    @Nested
    class Judging extends CodeVerifierContract {
        @Override
        Map<String, Object> sandbox() {
            return Map.of("sandbox", "subprocess");
        }
    }

    @Nested
    class Hostile extends HostileProgramsContract {
        @Override
        Map<String, Object> sandbox() {
            return Map.of("sandbox", "subprocess");
        }

        @Override
        int column() {
            return 1;
        }
    }
}
