package io.rlvr4j.app.cli;

import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.pipeline.Run;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rlvr4j run}: runs a configuration, or the built-in default run. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run the stages of a configuration (SFT, RL, evaluation) and write a run directory.",
        description = {"Run the stages of a configuration (SFT, RL, evaluation) and write a run",
                "directory.", "",
                "Without CONFIG, runs the built-in default: a small fresh model (the model",
                "section's init: fresh) with a character tokenizer learns multi-step arithmetic: SFT warm-up on worked",
                "solutions, evaluation, RLOO against the math verifier, evaluation again; it",
                "prints pass@1 and pass@k before and after RL. `rlvr4j config` prints that",
                "configuration, a starting point for your own."})
public final class RunCommand implements Callable<Integer> {

    /** The class-path resource of the built-in default run. */
    public static final String DEFAULT_CONFIG = "/io/rlvr4j/app/default-run.yaml";

    @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "The run configuration (YAML). Default: the built-in run.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting; repeatable. KEY is dotted; a stage is named by its name or index: "
                    + "--set stages.rl.steps=20, --set stages[0].batch_size=16.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last complete checkpoint instead of starting a new one; "
                    + "CONFIG (with --set) must be the configuration it ran, but for checkpoint_every, keep_checkpoints, "
                    + "run.reward_workers, run.check_memory and run.output_dir. Same as `rlvr4j resume RUN_DIR`.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            Run.resume(resume, configuration(config, overrides), PluginRegistry.discover(), System.out);
        } else {
            Run.execute(configuration(config, overrides), PluginRegistry.discover(), System.out);
        }
        return 0;
    }

    /** {@return the run configuration in {@code file} (the built-in default run when null), with {@code overrides} applied} */
    static ConfigTree configuration(Path file, List<String> overrides) {
        ConfigTree tree = file == null ? ConfigLoader.loadResource(DEFAULT_CONFIG) : ConfigLoader.load(file);
        return Overrides.apply(tree, overrides);
    }
}
