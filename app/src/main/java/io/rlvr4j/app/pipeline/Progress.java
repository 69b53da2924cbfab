package io.rlvr4j.app.pipeline;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress of a stage: a live bar on a terminal; on a pipe or in CI, a plain line every
 * few steps so logs stay readable.
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final PrintStream log;
    private final String task;
    private final long total;
    private final long every;
    private final long started = System.nanoTime();

    public Progress(String task, long total, PrintStream log) {
        this.task = task;
        this.total = total;
        this.log = log;
        this.every = Math.max(1, total / 20);
        boolean terminal = System.console() != null && System.console().isTerminal() && System.getenv("CI") == null;
        this.bar = terminal
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).continuousUpdate().setMaxRenderedLength(160).build()
                : null;
    }

    /** Records that step {@code step} finished, with a few of its metrics shown as {@code label=value}. */
    public void step(long step, Map<String, String> shown) {
        StringBuilder sb = new StringBuilder();
        shown.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(sb.toString());
        } else if (step % every == 0 || step == total) {
            double s = (System.nanoTime() - started) / 1e9;
            log.printf(Locale.ROOT, "%s %d/%d (%.0f s) %s%n", task, step, total, s, sb);
        }
    }

    public static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
