package io.cvimport.imports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.scope.context.ChunkContext;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.OpenRow;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;

/**
 * The import step. Its state is the ledger, not the step: every execution first reopens
 * the finished rows that now have a way out ({@link Reopening}), then streams the input
 * once more and gives the engine each row the ledger still has open (to send, to
 * reconcile, or to await), so a restart after any failure simply carries on.
 * <p>
 * Tokens and keys are read from the input again because they are never stored. A row is
 * only worked when the row read now is the one the ledger recorded ({@link RowCheck}).
 */
public class ImportTasklet implements StoppableTasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportTasklet.class);
    /** Rows read from the input per ledger query. */
    private static final int BATCH = 1000;
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
    private volatile @Nullable ImportEngine engine;
    private volatile boolean stopped;

    public ImportTasklet(CustomVisionClient client, ImportLedger ledger, ResourceLinks resources, RowJudge judge,
            ImportProperties properties, Duration progressEvery, MeterRegistry meters, Reopening reopening,
            ClosedRows closed) {
        this.client = client;
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
        long instance = LedgerKey.of(step.getJobExecution());
        Set<RowStatus> open = RowStatus.OPEN;
        Path input = Path.of(step.getJobParameters().getString("input.path"));
        reopening.apply(instance, input, (target, project) -> client.getProject(target.endpoint(), target.key(),
                project) instanceof ApiResult.Ok<?>);
        long openRows = ledger.count(instance, open);
        if (openRows == 0) {
            log.info("no row left to import");
            return RepeatStatus.FINISHED;
        }
        log.info("{} rows to import, reconcile or await", openRows);
        stopped = false;
        ImportEngine current = new ImportEngine(client, ledger, resources, instance, properties, meters);
        Progress progress = new Progress(ledger, instance, openRows);
        engine = current;
        RowsLeftAlone leftAlone = new RowsLeftAlone();
        try {
            feed(current, instance, open, input, leftAlone);
            current.feedingDone();
            current.awaitCompletion(progressEvery, () -> log.info("{}; {}", progress.line(), current.state()));
        }
        finally {
            // Also after a failed feed: no worker of this engine may record anything once the
            // step has ended, or it would race the next engine on the same ledger.
            current.close();
            engine = null;
        }
        log.info("import calls: {}", current.counts());
        step.getExecutionContext().putString(CALLS_KEY, current.counts().toString());
        contribution.incrementWriteCount(current.counts().imports());
        leftAlone.throwIfChanged();
        String keysUnavailable = leftAlone.keysUnavailable();
        if (keysUnavailable != null) {
            log.warn("{}", keysUnavailable);
            step.getExecutionContext().putString(LEFT_OPEN_KEY, keysUnavailable);
        }
        if (current.unreconciled() > 0) {
            step.getExecutionContext().putString(LEFT_OPEN_KEY, current.unreconciled() + " rows were sent but"
                    + " their projects could not be looked up before import.timeout (the project list kept failing);"
                    + " they are left as they are: re-run the same command");
        }
        List<String> environment = current.environmentFailures();
        if (!environment.isEmpty()) {
            environmentFailed(step, environment);
            return RepeatStatus.FINISHED;
        }
        if (current.counts().unsentRows() > 0) {
            throw new RowsNotSentException(current.counts().unsentRows());
        }
        return RepeatStatus.FINISHED;
    }

    /**
     * Hands the open rows to the engine, a batch at a time, each batch checked first: once
     * a row is found changed under the job nothing more is handed (the rest of the input
     * is only read to name every changed row).
     */
    private void feed(ImportEngine engine, long instance, Set<RowStatus> open, Path input, RowsLeftAlone leftAlone)
            throws InterruptedException {
        long last = 0;
        try (RowCursor cursor = InputFile.open(input).rows()) {
            for (SortedMap<Long, InputRow> batch = cursor.nextBatch(BATCH); !batch.isEmpty();
                    batch = cursor.nextBatch(BATCH)) {
                last = batch.lastKey();
                List<Handed> handed = new ArrayList<>();
                for (OpenRow openRow : ledger.rowsBetween(instance, batch.firstKey(), last, open)) {
                    InputRow read = batch.get(openRow.rowNo());
                    RowCheck.Result check = RowCheck.check(judge, resources, openRow, read);
                    if (check instanceof RowCheck.Usable usable && read != null) {
                        handed.add(new Handed(openRow, read, usable.target()));
                    }
                    else if (check instanceof RowCheck.KeyUnavailable unavailable) {
                        leftAlone.keyUnavailable(unavailable.variable());
                    }
                    else if (check instanceof RowCheck.Changed changed) {
                        leftAlone.changed(openRow.rowNo(), changed.why());
                    }
                }
                if (leftAlone.anyChanged()) {
                    engine.stop();
                }
                for (Handed each : leftAlone.anyChanged() ? List.<Handed>of() : handed) {
                    if (stopped) {
                        return;
                    }
                    hand(engine, instance, each);
                }
                if (stopped && !leftAlone.anyChanged()) {
                    return;
                }
            }
        }
        for (OpenRow gone : ledger.rowsBetween(instance, last + 1, Long.MAX_VALUE, open)) {
            leftAlone.changed(gone.rowNo(), "it is no longer in the input");
        }
    }

    private record Handed(OpenRow row, InputRow input, TargetResource target) {
    }

    private void hand(ImportEngine engine, long instance, Handed handed) throws InterruptedException {
        OpenRow row = handed.row();
        TargetResource target = handed.target();
        if (row.targetFp() == null && (row.tokenFp() == null || new TakenPairs(ledger, resources, closed, properties.reimport())
                .closeIfTaken(instance, row.rowNo(), row.status(), row.tokenFp(), target.fingerprint(),
                        "its key variable was resolved after load")
                || !closed.bindTarget(instance, row.rowNo(), target.fingerprint()))) {
            return;
        }
        switch (row.status()) {
            case PENDING -> engine.send(target, row.rowNo(), handed.input().token(), 0);
            case SUBMITTING -> engine.reconcile(target, row.rowNo(), handed.input().token(),
                    row.sentAt() == null ? 0 : row.sentAt(), row.answeredAt());
            case IMPORTING, TIMED_OUT -> engine.await(target, row.rowNo(), String.valueOf(row.projectId()),
                    row.sentAt() == null ? 0 : row.sentAt());
            default -> throw new IllegalStateException("row " + row.rowNo() + " is not open: " + row.status());
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

    @Override
    public void stop() {
        stopped = true;
        ImportEngine current = engine;
        if (current != null) {
            current.stop();
        }
    }
}
