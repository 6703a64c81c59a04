package io.cvimport.imports.step;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.feed.RowFeed;
import io.cvimport.imports.feed.RowsLeftAlone;
import io.cvimport.imports.feed.TargetIdentities;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.reopen.Reopening;
import io.cvimport.scale.Partition;
import io.cvimport.imports.ImportProperties;

/**
 * The import step. Its state is the ledger, not the step: every execution first reopens
 * the finished rows that now have a way out ({@link Reopening}), then streams the input
 * once more and gives the engine each row the ledger still has open (to send, to
 * reconcile, or to await), so a restart after any failure simply carries on.
 * <p>
 * It works in rounds of {@code import.progress-every}: each round feeds rows (or awaits the
 * engine once all are fed) and returns CONTINUABLE with the rows settled meanwhile in the
 * step's counts (see {@link ImportRun#contribute}), so the job repository shows a running
 * import's progress, and a stop written there ({@code JobOperator.stop} from another
 * process) ends the step after the round. The engine and the input live across rounds
 * and are closed when the step ends, however it ends ({@link #afterStep}).
 * <p>
 * A bean of step scope: each step execution (each partition's its own) has its own tasklet,
 * its own run and its own stop ({@link #stop(StepExecution)}, as Spring Batch stops a
 * running tasklet step; or its step marked terminate-only). A stop of every import of the
 * process goes to each of them through {@link RunningImports}.
 * <p>
 * Tokens and keys are read from the input again because they are never stored. A row is
 * only worked when the row read now is the one the ledger recorded ({@link RowCheck}).
 */
public class ImportTasklet implements StoppableTasklet, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ImportTasklet.class);
    public static final String CALLS_KEY = "import.calls";
    /** Why open rows were left for the next run, when some were: the summary says it. */
    public static final String LEFT_OPEN_KEY = "import.left-open";

    private final CustomVisionClient client;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final RowJudge judge;
    private final ImportProperties properties;
    private final Duration progressEvery;
    private final MeterRegistry meters;
    private final Reopening reopening;
    private final ClosedRows closed;
    private final RunningImports running;
    /** This step execution's run, from its first round until the step ends; null before and after. */
    private @Nullable ImportRun run;
    /** A stop asked of this step execution ({@link #stop(StepExecution)}); never cleared. */
    private volatile boolean stopped;

    public ImportTasklet(CustomVisionClient client, ImportLedger ledger, ResourceLinks resources, RowJudge judge,
            ImportProperties properties, Duration progressEvery, MeterRegistry meters, Reopening reopening,
            ClosedRows closed, RunningImports running) {
        this.client = client;
        this.running = running;
        this.reopening = reopening;
        this.closed = closed;
        this.ledger = ledger;
        this.resources = resources;
        this.judge = judge;
        this.properties = properties;
        this.progressEvery = progressEvery;
        this.meters = meters;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        ImportRun current = run;
        if (current == null) {
            current = begin(step);
            if (current == null) {
                return RepeatStatus.FINISHED;
            }
        }
        boolean over;
        try {
            over = current.round(System.nanoTime() + progressEvery.toNanos(),
                    () -> stopped || step.isTerminateOnly());
            current.contribute(contribution);
        }
        catch (Exception | Error e) {
            end(step, current);
            throw e;
        }
        if (!over) {
            Partition partition = Partition.of(step.getExecutionContext());
            RowRecorder.Settled here = current.engine.settled();
            String line = current.progressLine();
            if (line != null) {
                log.info("{}{}", partition.whole() ? "" : partition + ": " + (here.withProject() + here.rejected()
                        + here.inDoubt()) + " rows settled by this partition's engine; ", line);
            }
            return RepeatStatus.CONTINUABLE;
        }
        end(step, current);
        return finish(step, current);
    }

    /**
     * Reopens what now has a way out, then starts the engine on the open rows (of the step's
     * partition, when it is one); null when there are none.
     */
    private @Nullable ImportRun begin(StepExecution step) {
        long instance = LedgerKey.of(step.getJobExecution());
        Path input = Path.of(step.getJobParameters().getString("input.path"));
        Partition partition = Partition.of(step.getExecutionContext());
        if (partition.whole()) {
            reopen(reopening, client, step.getJobExecution());
        }
        long openRows = ledger.count(instance, RowStatus.OPEN);
        if (openRows == 0) {
            log.info("no row left to import");
            return null;
        }
        log.info("{} rows to import, reconcile or await{}", openRows,
                partition.whole() ? "" : " over every partition; this is " + partition);
        ImportEngine engine = new ImportEngine(client, ledger, resources, instance, properties, meters);
        ImportRun started;
        try {
            RowsLeftAlone leftAlone = new RowsLeftAlone();
            Progress progress = new Progress(ledger, instance, openRows, engine.counts());
            RowFeed feed = new RowFeed(input, ledger, resources, new TargetIdentities(client, resources), judge,
                    closed, properties, instance, leftAlone, partition);
            // One bar per process: partitions (threads of one step) log their lines instead.
            started = new ImportRun(engine, feed, leftAlone, progress,
                    partition.whole() ? ProgressBarDisplay.onTerminal(progress) : null);
            engine.start();
        }
        catch (RuntimeException | Error e) {
            engine.close(); // its owner thread ends with it
            throw e;
        }
        synchronized (this) {
            run = started;
        }
        running.add(step, this);
        if (stopped) {
            engine.stop();
        }
        return started;
    }

    /**
     * Gives the finished rows that now have a way out their way ({@link Reopening}): the
     * import step does it first; a partitioned one once, before its partitions start.
     */
    public static void reopen(Reopening reopening, CustomVisionClient client, JobExecution execution) {
        Path input = Path.of(execution.getJobParameters().getString("input.path"));
        reopening.apply(LedgerKey.of(execution), input, (target, project) -> client.getProject(target.endpoint(),
                target.key(), project) instanceof ApiResult.Ok<?>);
    }

    /** The import is over: what it left open, and why, goes to the step. */
    private RepeatStatus finish(StepExecution step, ImportRun over) {
        ImportEngine engine = over.engine;
        over.recordCalls(step);
        over.leftAlone.throwIfChanged();
        over.recordLeftOpen(step);
        List<String> environment = engine.environmentFailures();
        if (!environment.isEmpty()) {
            environmentFailed(step, environment);
            return RepeatStatus.FINISHED;
        }
        if (engine.counts().unsentRows() > 0) {
            throw new RowsNotSentException(engine.counts().unsentRows());
        }
        return RepeatStatus.FINISHED;
    }

    /**
     * The step ended between rounds (a stop through the job repository, an interruption):
     * the calls in flight finish and are recorded before the step's end is.
     */
    @Override
    public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
        ImportRun current = run;
        if (current != null) {
            end(stepExecution, current);
            current.contribute(stepExecution);
            current.recordCalls(stepExecution);
            current.recordLeftOpen(stepExecution);
        }
        return null;
    }

    /** No worker of this engine may record anything once the step has ended: it would race the next engine. */
    private void end(StepExecution step, ImportRun current) {
        running.remove(step);
        current.close();
        synchronized (this) {
            run = null;
        }
    }

    /**
     * The environment kept failing (TLS trust, DNS, proxy): the step fails, resumably,
     * with one line per cause and no stack trace, since there is no bug to trace.
     */
    private static void environmentFailed(StepExecution step, List<String> causes) {
        for (String cause : causes) {
            log.error(cause);
        }
        step.setStatus(BatchStatus.FAILED);
        step.setExitStatus(ExitStatus.FAILED.addExitDescription(String.join("\n", causes)));
    }

    /** The service could not be reached (or kept throttling) for some rows: the run fails, resumably. */
    static final class RowsNotSentException extends RuntimeException {
        RowsNotSentException(long rows) {
            super(rows + " rows could not be sent (service unreachable, throttling past import.max-attempts, or"
                    + " another run's import of the same token still on its way); they are still pending: re-run the"
                    + " same command to send them");
        }
    }

    /**
     * Stops this step execution's import (Spring Batch 6's stop of a running tasklet step,
     * which calls it in the step's context): it feeds no more rows, its engine stops, and the
     * calls in flight are recorded before the step ends. Other step executions, such as the
     * other partitions of the job, are not touched; a step execution that has not begun yet
     * stops as soon as it does.
     */
    @Override
    public void stop(StepExecution stepExecution) {
        ImportTasklet target = running.of(stepExecution);
        (target != null ? target : this).stopThis();
    }

    /** @deprecated Spring Batch 6 stops a step through {@link #stop(StepExecution)}; this stops this step's import. */
    @Override
    @Deprecated(since = "6.0", forRemoval = true)
    public void stop() {
        stopThis();
    }

    void stopThis() {
        stopped = true;
        ImportRun current;
        synchronized (this) {
            current = run;
        }
        if (current != null) {
            current.engine.stop();
        }
    }
}
