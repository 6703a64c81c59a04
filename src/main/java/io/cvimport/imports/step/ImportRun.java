package io.cvimport.imports.step;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.feed.RowFeed;
import io.cvimport.imports.feed.RowsLeftAlone;
import io.cvimport.ledger.RowRecorder;

/**
 * One execution of the import step, across its rounds: the engine and the input it is fed
 * from live until the step ends, whatever ends it.
 */
final class ImportRun implements AutoCloseable {

    /** The step's log: what a run records at its end is the import step's. */
    private static final Logger log = LoggerFactory.getLogger(ImportTasklet.class);

    final ImportEngine engine;
    final RowsLeftAlone leftAlone;
    private final RowFeed feed;
    private final Progress progress;
    /** The live bar at a terminal; null elsewhere, where the progress line is logged instead. */
    private final @Nullable ProgressBarDisplay bar;
    private RowRecorder.Settled reported = RowRecorder.Settled.NONE;
    private boolean fed;
    private boolean closed;

    ImportRun(ImportEngine engine, RowFeed feed, RowsLeftAlone leftAlone, Progress progress,
            @Nullable ProgressBarDisplay bar) {
        this.engine = engine;
        this.feed = feed;
        this.leftAlone = leftAlone;
        this.progress = progress;
        this.bar = bar;
    }

    /**
     * One round: feeds rows (waiting on the engine's window at most until {@code untilNanos}),
     * or once every row is fed, awaits the engine until then.
     *
     * @return whether the import is over (every row settled, or the engine stopped)
     */
    boolean round(long untilNanos, BooleanSupplier stopped) throws InterruptedException {
        if (!fed) {
            if (!feed.feed(engine, untilNanos, stopped)) {
                return false;
            }
            fed = true;
            engine.feedingDone();
        }
        return engine.awaitCompletion(untilNanos);
    }

    /**
     * Adds the rows settled since the last round to the step's counts: written, rows that
     * ended with a project (SUCCEEDED, FAILED, TIMED_OUT); filtered, rows the service
     * refused without making one (REJECTED); skipped in processing, rows left IN_DOUBT.
     */
    void contribute(StepContribution contribution) {
        RowRecorder.Settled since = unreported();
        contribution.incrementWriteCount(since.withProject());
        contribution.incrementFilterCount(since.rejected());
        contribution.incrementProcessSkipCount(since.inDoubt());
    }

    /** The same, straight onto the step once it ended between rounds (the calls in flight then). */
    void contribute(StepExecution step) {
        RowRecorder.Settled since = unreported();
        step.setWriteCount(step.getWriteCount() + since.withProject());
        step.setFilterCount(step.getFilterCount() + since.rejected());
        step.setProcessSkipCount(step.getProcessSkipCount() + since.inDoubt());
    }

    private RowRecorder.Settled unreported() {
        RowRecorder.Settled now = engine.settled();
        RowRecorder.Settled since = now.minus(reported);
        reported = now;
        return since;
    }

    /** The progress line to log, or null when a bar shows the progress. */
    @Nullable String progressLine() {
        return bar != null ? null : progress.line() + "; " + engine.state();
    }

    /** The calls the engine made, for the run's summary. */
    void recordCalls(StepExecution step) {
        log.info("import calls: {}", engine.counts());
        step.getExecutionContext().putString(ImportTasklet.CALLS_KEY, engine.counts().toString());
    }

    /** Why rows were left open for the next run, when some were. */
    void recordLeftOpen(StepExecution step) {
        String keysUnavailable = leftAlone.keysUnavailable();
        if (keysUnavailable != null) {
            log.warn("{}", keysUnavailable);
            step.getExecutionContext().putString(ImportTasklet.LEFT_OPEN_KEY, keysUnavailable);
        }
        if (engine.unreconciled() > 0) {
            step.getExecutionContext().putString(ImportTasklet.LEFT_OPEN_KEY, engine.unreconciled() + " rows were"
                    + " sent but their projects could not be looked up before import.timeout (the project list kept"
                    + " failing); they are left as they are: re-run the same command");
        }
    }

    /** Stops the engine, waits for the calls in flight to be recorded, and closes the input. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            engine.close();
        }
        finally {
            feed.close();
            if (bar != null) {
                bar.close();
            }
        }
    }
}
