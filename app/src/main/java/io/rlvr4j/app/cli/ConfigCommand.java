package io.rlvr4j.app.cli;

import io.rlvr4j.app.config.ConfigLoader;
import picocli.CommandLine.Command;

/** {@code rlvr4j config}: prints the built-in default configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the built-in default run configuration (YAML, commented), to copy and edit.")
public final class ConfigCommand implements Runnable {

    @Override
    public void run() {
        System.out.print(ConfigLoader.resourceText(RunCommand.DEFAULT_CONFIG));
    }
}
