package io.cvimport.imports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.OpenRow;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;

/**
 * The import step. Its state is the ledger, not the step: every execution streams the
 * input once more and gives the engine each row the ledger still has open (to send, to
 * reconcile, or to await), so a restart after any failure simply carries on.
 * <p>
 * Tokens and keys are read from the input again because they are never stored.
 */
public class ImportTasklet implements StoppableTasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportTasklet.class);
    /** Rows read from the input per ledger query. */
    private static final int BATCH = 1000;
    public static final String CALLS_KEY = "import.calls";

    private final CustomVisionClient client;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final RowJudge judge;
    private final ImportProperties properties;
    private final Duration progressEvery;
    private final MeterRegistry meters;
    private volatile @Nullable ImportEngine engine;
    private volatile boolean stopped;

    public ImportTasklet(CustomVisionClient client, ImportLedger ledger, ResourceLinks resources, RowJudge judge,
            ImportProperties properties, Duration progressEvery, MeterRegistry meters) {
        this.client = client;
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
        long instance = step.getJobExecution().getJobInstance().getInstanceId();
        Set<RowStatus> open = EnumSet.copyOf(RowStatus.OPEN);
        if (properties.resendInDoubt()) {
            open.add(RowStatus.IN_DOUBT);
        }
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
        try {
            feed(current, instance, open, Path.of(step.getJobParameters().getString("input.path")));
            current.feedingDone();
            current.awaitCompletion(progressEvery, () -> log.info("{}; {}", progress.line(), current.state()));
        }
        finally {
            current.stop();
            engine = null;
        }
        log.info("import calls: {}", current.counts());
        step.getExecutionContext().putString(CALLS_KEY, current.counts().toString());
        contribution.incrementWriteCount(current.counts().imports());
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

    private void feed(ImportEngine engine, long instance, Set<RowStatus> open, Path input) throws InterruptedException {
        try (RowCursor cursor = InputFile.open(input).rows()) {
            Map<Long, InputRow> batch = new LinkedHashMap<>();
            InputRow row;
            do {
                row = cursor.next();
                if (row != null) {
                    batch.put(row.number(), row);
                }
                if (!batch.isEmpty() && (row == null || batch.size() == BATCH)) {
                    long first = batch.keySet().iterator().next();
                    for (OpenRow openRow : ledger.rowsBetween(instance, first, first + batch.size() - 1, open)) {
                        if (stopped) {
                            return;
                        }
                        hand(engine, instance, openRow, batch.get(openRow.rowNo()));
                    }
                    batch.clear();
                }
            }
            while (row != null && !stopped);
        }
    }

    private void hand(ImportEngine engine, long instance, OpenRow row, @Nullable InputRow input)
            throws InterruptedException {
        Optional<TargetResource> target = input == null ? Optional.empty() : judge.target(input);
        if (target.isEmpty()) {
            // The key's environment variable was unset on this run, or the input changed under us.
            RowStatus status = row.status() == RowStatus.PENDING ? RowStatus.INVALID : RowStatus.TIMED_OUT;
            ledger.finish(instance, row.rowNo(), status, row.projectId(), "InvalidRow",
                    "the row's key cannot be resolved on this run", null);
            return;
        }
        switch (row.status()) {
            case PENDING, IN_DOUBT -> engine.send(target.get(), row.rowNo(), input.token(), 0);
            case SUBMITTING -> engine.reconcile(target.get(), row.rowNo(), input.token(),
                    row.sentAt() == null ? 0 : row.sentAt(), row.answeredAt());
            case IMPORTING, TIMED_OUT -> engine.await(target.get(), row.rowNo(), String.valueOf(row.projectId()),
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
