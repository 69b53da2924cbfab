package io.rlvr4j.app.cli;

import io.rlvr4j.api.DataException;
import io.rlvr4j.api.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlvr4j}: the top-level command. */
@Command(name = "rlvr4j", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"Reinforcement learning with verifiable rewards for reasoning language models, on the JVM.", "",
                "Every algorithm, policy backend, rollout engine, reward function and data source is a plugin",
                "selected by name in a YAML configuration; `rlvr4j plugins` lists what is installed."},
        subcommands = {RunCommand.class, ResumeCommand.class, EvalCommand.class, VerifyCommand.class, TokensCommand.class, BenchCommand.class, PluginsCommand.class,
                ImageCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "The ./rlvr4j launcher also takes:",
                "  ./rlvr4j test    run the whole test suite (Maven, JUnit 5), slow end-to-end tests included",
                "  ./rlvr4j build   rebuild the runtime (it builds by itself on first use and after source changes)", "",
                "Examples:",
                "  ./rlvr4j run                                  the built-in default run (SFT warm-up, then RLOO)",
                "  ./rlvr4j run my-run.yaml --set stages.rl.steps=50",
                "  ./rlvr4j resume runs/my-run-20261207-101500      continue a run that stopped",
                "  ./rlvr4j eval --model runs/x/models/rl --data problems.jsonl -n 16 -k 1,4,16"})
public final class RootCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--plugins-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Directory of third-party plugins: each jar in it, or each subdirectory of jars, is loaded"
                    + " in its own module layer (default: $XDG_CONFIG_HOME/rlvr4j/plugins, else ~/.config/rlvr4j/plugins).")
    void pluginsDir(java.nio.file.Path dir) {
        io.rlvr4j.app.plugins.PluginRegistry.useDirectory(dir);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@return the command line with error handling: configuration and data errors print one clear line} */
    public static CommandLine commandLine() {
        io.rlvr4j.app.plugins.PluginRegistry.useDirectory(null); // each command line starts from the default (--plugins-dir sets it)
        CommandLine cl = new CommandLine(new RootCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof DataException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("error: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }

    /** The version from the module descriptor (or the jar manifest). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getModule().getDescriptor() != null
                    ? RootCommand.class.getModule().getDescriptor().rawVersion().orElse("dev")
                    : String.valueOf(RootCommand.class.getPackage().getImplementationVersion());
            return new String[] {"rlvr4j " + v, "Java " + Runtime.version()};
        }
    }
}
