package io.rlvr4j.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the crash-recovery tests stop a run to kill it: with the system property
 * {@value #PROPERTY} set to {@code <stage>:<step>:<phase>} (phases: {@code rollout}, after the step's
 * responses are generated; {@code reward}, after they are scored; {@code update}, after the
 * algorithm's update, before the step's metrics are written; {@code checkpoint}, with a checkpoint's
 * files written but not yet named), the run writes {@value #MARKER} into its directory on reaching
 * that point and waits there for the test's {@code kill -9}. Without the property, nothing happens.
 */
final class FaultPoints {

    static final String PROPERTY = "rlvr4j.test.pause_at";
    static final String MARKER = ".paused";
    private static final String PAUSE_AT = System.getProperty(PROPERTY);

    private final Path runDir;
    private final String prefix;

    private FaultPoints(Path runDir, String prefix) {
        this.runDir = runDir;
        this.prefix = prefix;
    }

    /** {@return the fault points of run {@code runDir}} */
    static FaultPoints of(Path runDir) {
        return new FaultPoints(runDir, "");
    }

    /** {@return the points of {@code stage}'s step {@code step}} */
    FaultPoints at(String stage, long step) {
        return new FaultPoints(runDir, stage + ":" + step + ":");
    }

    /** Waits for ever if the run was told to pause at {@code phase} here. */
    void reached(String phase) {
        if (PAUSE_AT == null || !PAUSE_AT.equals(prefix + phase)) return;
        try {
            Files.writeString(runDir.resolve(MARKER), PAUSE_AT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at fault point " + PAUSE_AT, e);
            }
        }
    }
}
