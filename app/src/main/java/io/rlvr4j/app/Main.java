package io.rlvr4j.app;

import io.rlvr4j.app.cli.RootCommand;
import picocli.CommandLine;

/** Entry point of the {@code rlvr4j} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // libraries (DJL) log through SLF4J to java.util.logging: keep their warnings, not their chatter
        if (System.getProperty("java.util.logging.config.file") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(RootCommand.commandLine().execute(args));
    }
}
