package io.rlvr4j.app;

import io.rlvr4j.app.cli.RootCommand;
import picocli.CommandLine;

/** Entry point of the {@code rlvr4j} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(RootCommand.commandLine().execute(args));
    }
}
