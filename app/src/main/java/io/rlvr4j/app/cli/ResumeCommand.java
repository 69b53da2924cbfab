package io.rlvr4j.app.cli;

import io.rlvr4j.app.pipeline.Run;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rlvr4j resume}: continues a run that stopped. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        header = "Continue a run that stopped (killed, crashed, out of time) from its last complete checkpoint.",
        description = {"Continue a run that stopped (killed, crashed, out of time) from its last",
                "complete checkpoint, with the configuration it was started with (its",
                "config.yaml). Completed stages are not run again; the stage that was running",
                "goes on from the step after its newest checkpoint (checkpoint_every), or from",
                "its start if it has none, with the weights, optimiser moments, data cursors",
                "and algorithm state it had then: on the same CPU the resumed run's metrics and",
                "final weights equal those of a run that was never interrupted. metrics.jsonl",
                "is cut back to the checkpoint's step, so no step appears twice.", "",
                "A directory that is not a run's, a run with no checkpoint, or a damaged",
                "checkpoint is refused with a reason, and nothing in the directory is changed.",
                "To change a setting on the way, use `rlvr4j run CONFIG --resume RUN_DIR`."})
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "The run directory (runs/<name>-<timestamp>).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Run.resume(runDir, null, PluginRegistry.discover(), System.out);
        return 0;
    }
}
