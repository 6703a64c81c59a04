package io.cvimport.imports.step;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The live bar of an import run at a terminal (me.tongfei:progressbar): rows settled of the
 * rows open at the start, the rows per status, calls/s, the service's 429s, and the time left
 * once rows settle. It is redrawn in place on stderr every second, in colour unless
 * {@code NO_COLOR} is set (https://no-color.org). Not on a terminal, the plain progress line
 * is logged instead ({@link Progress#line}).
 */
final class ProgressBarDisplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressBarDisplay.class);
    private static final int REFRESH_MILLIS = 1000;
    /** When the terminal does not say how wide it is. */
    private static final int DEFAULT_WIDTH = 100;

    private final Progress progress;
    private final ProgressBar bar;
    private final ScheduledExecutorService refresher;
    private volatile Progress.@Nullable Snapshot last;

    ProgressBarDisplay(Progress progress, PrintStream out, int width, boolean colour) {
        this.progress = progress;
        Progress.Snapshot first = progress.snapshot();
        this.last = first;
        this.bar = new ProgressBarBuilder().setTaskName("import")
                .setStyle(colour ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(out, width))
                .setUpdateIntervalMillis(REFRESH_MILLIS)
                .setInitialMax(Math.max(1, first.total()))
                .setEtaFunction(state -> {
                    Progress.Snapshot now = last;
                    return Optional.ofNullable(now == null ? null : now.left());
                })
                .build();
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "progress-bar");
            thread.setDaemon(true);
            return thread;
        });
        update();
        refresher.scheduleWithFixedDelay(this::update, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The bar for a run at a terminal; null when stdout or stdin is not one (cron, a pipe, Kubernetes). */
    static @Nullable ProgressBarDisplay onTerminal(Progress progress) {
        String term = System.getenv("TERM");
        if (System.console() == null || "dumb".equals(term)) {
            return null;
        }
        String noColor = System.getenv("NO_COLOR");
        return new ProgressBarDisplay(progress, System.err, width(), noColor == null || noColor.isEmpty());
    }

    /**
     * The terminal's width, read through a JLine terminal closed at once, and built without
     * native signal handlers: nothing of JLine stands between Ctrl-C and the run's own stop
     * ({@code SignalStop}). The library's own terminal (its default when no width is given)
     * is never opened.
     */
    private static int width() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(false).build()) {
            return terminal.getWidth() > 0 ? terminal.getWidth() : DEFAULT_WIDTH;
        }
        catch (Exception | LinkageError e) {
            log.debug("the terminal's width is unknown: {}", e.toString());
            return DEFAULT_WIDTH;
        }
    }

    private void update() {
        try {
            Progress.Snapshot now = progress.snapshot();
            last = now;
            bar.maxHint(Math.max(1, now.total()));
            bar.stepTo(now.settled());
            bar.setExtraMessage(String.format(Locale.ROOT, "%s · %.1f calls/s · %d 429s", now.states(),
                    now.callsPerSecond(), now.answered429()));
        }
        catch (RuntimeException e) {
            // The repository may be out for a moment: the bar stays as it was until the next refresh.
            log.debug("progress not read: {}", e.toString());
        }
    }

    /** Draws the bar as the import ended, and leaves it on its line. */
    @Override
    public void close() {
        refresher.shutdownNow();
        update();
        bar.close();
    }
}
