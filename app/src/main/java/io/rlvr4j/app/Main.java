package io.rlvr4j.app;

import io.rlvr4j.app.cli.RootCommand;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** Entry point of the {@code rlvr4j} command. */
public final class Main {

    /**
     * DJL's GPU probe warns on every machine whose libraries know CUDA but which has no usable GPU;
     * the backend itself says so clearly when CUDA is asked for (held here: JUL keeps loggers weakly).
     */
    private static final Logger CUDA_PROBE = Logger.getLogger("ai.djl.util.cuda.CudaUtils");

    private Main() {}

    public static void main(String[] args) {
        // libraries (DJL) log through SLF4J to java.util.logging: keep their warnings, not their chatter
        if (System.getProperty("java.util.logging.config.file") == null) {
            Logger.getLogger("").setLevel(Level.WARNING);
            CUDA_PROBE.setLevel(Level.SEVERE);
        }
        System.exit(RootCommand.commandLine().execute(args));
    }
}
