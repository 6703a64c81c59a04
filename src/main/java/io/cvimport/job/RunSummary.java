package io.cvimport.job;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.cvimport.input.InputStructureException;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.Outcome;
import io.cvimport.sources.SourceSummary;
import io.cvimport.ledger.RowStatus;
import io.cvimport.repository.JdbcUrls;
import io.cvimport.repository.RepositoryInUse;
import io.cvimport.imports.step.ImportTasklet;

/**
 * What a run comes to: its exit code, read from the exit status {@link RunExitStatus} gave
 * the execution, and the summary printed at its end (or asked for later).
 */
@Component
class RunSummary {

    /** Where versions before exit statuses recorded the exit code: read for their executions, never written. */
    private static final String LEGACY_EXIT_CODE_KEY = "exit.code";
    private static final RunExitCodeMapper MAPPER = new RunExitCodeMapper();
    private static final int ATTENTION_ROWS = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private final ImportLedger ledger;
    private final JobRepository jobRepository;
    private final RepositoryInUse repository;
    private final SourceSummary sources;

    RunSummary(ImportLedger ledger, JobRepository jobRepository, RepositoryInUse repository, SourceSummary sources) {
        this.sources = sources;
        this.ledger = ledger;
        this.jobRepository = jobRepository;
        this.repository = repository;
    }

    /** The exit code of an ended execution: what its rows, its status and a stop request come to. */
    ExitCode exitCodeOf(JobExecution execution, Map<RowStatus, Long> counts, boolean stopRequested) {
        return MAPPER.exitCodeOf(RunOutcome.of(execution, counts, stopRequested));
    }

    /** The code the execution ended with (its exit status), or what its state implies (a killed run: 1). */
    int recordedExitCode(JobExecution execution, Map<RowStatus, Long> counts) {
        return MAPPER.intValue(recordedWord(execution, counts));
    }

    /** The exit status word the execution ended with; for one that never ended, the word of a killed run. */
    String recordedWord(JobExecution execution, Map<RowStatus, Long> counts) {
        if (execution.getExecutionContext().containsKey(LEGACY_EXIT_CODE_KEY)) {
            return ExitCode.of(execution.getExecutionContext().getInt(LEGACY_EXIT_CODE_KEY)).word();
        }
        if (execution.getEndTime() != null && !execution.getStatus().isRunning()) {
            return execution.getExitStatus().getExitCode();
        }
        return RunOutcome.of(execution, counts, execution.getStatus() == BatchStatus.STOPPED).getExitCode();
    }

    /** The rows of the execution's job instance per status: what the exit code and the summary are made of. */
    Map<RowStatus, Long> counts(JobExecution execution) {
        return ledger.countsByStatus(LedgerKey.of(execution));
    }

    void print(PrintStream out, JobExecution execution, Map<RowStatus, Long> counts, Duration took, int code) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        out.println();
        out.println("customvision-import: execution " + execution.getId() + " " + outcome(execution.getStatus(), code)
                + (took.isZero() ? "" : " in " + format(took)) + ", " + total + " rows");
        counts.forEach((status, n) -> out.printf("  %-17s %d%n", status, n));
        execution.getStepExecutions().stream()
                .filter(step -> step.getExecutionContext().containsKey(ImportTasklet.CALLS_KEY))
                .forEach(step -> out.println("  api: " + step.getExecutionContext().getString(ImportTasklet.CALLS_KEY)));
        execution.getStepExecutions().stream()
                .filter(step -> step.getExecutionContext().containsKey(ImportTasklet.LEFT_OPEN_KEY))
                .forEach(step -> out.println("  " + step.getExecutionContext().getString(ImportTasklet.LEFT_OPEN_KEY)));
        sources.print(out, execution);
        Object report = reportOf(execution);
        if (report != null) {
            out.println("  report: " + report);
        }
        out.println("  repository: " + repository.describe());
        List<Outcome> attention = ledger.firstNotFine(LedgerKey.of(execution), ATTENTION_ROWS);
        if (!attention.isEmpty()) {
            out.println("  rows that need attention"
                    + (attention.size() == ATTENTION_ROWS ? " (first " + ATTENTION_ROWS + ")" : "") + ":");
            for (Outcome outcome : attention) {
                out.println("    row " + outcome.rowName() + " " + outcome.status()
                        + (outcome.errorCode() == null ? "" : " " + outcome.errorCode())
                        + (outcome.message() == null ? "" : ": " + outcome.message()));
            }
        }
        for (Throwable failure : execution.getAllFailureExceptions()) {
            String text = failure(failure);
            if (text != null) {
                out.println("  failure: " + text);
            }
        }
        out.println("  exit status " + recordedWord(execution, counts) + " (batch status " + execution.getStatus()
                + ")");
        out.println("  exit code " + code + (code == ExitCode.JOB_FAILED.code() ? " (re-run the same command to resume)"
                : ""));
    }

    /** The report this execution wrote, or the newest one of its job instance. */
    @Nullable Object reportOf(JobExecution execution) {
        Object own = execution.getExecutionContext().get(ReportTasklet.REPORT_PATH_KEY);
        return own != null ? own
                : jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                        .map(e -> e.getExecutionContext().get(ReportTasklet.REPORT_PATH_KEY))
                        .filter(Objects::nonNull)
                        .findFirst().orElse(null);
    }

    /** What the run came to, in the words of its exit code (a COMPLETED job may still exit 3). */
    static String outcome(BatchStatus status, int code) {
        return switch (ExitCode.of(code)) {
            case OK -> "finished";
            case ROWS_NEED_ATTENTION -> "finished with rows that need attention";
            case USAGE -> "ended: its input is unusable";
            case ALREADY_RUNNING -> "did not run: another run of its input is in progress";
            case JOB_FAILED -> status == BatchStatus.STOPPED ? "stopped" : "failed";
        };
    }

    /**
     * A failure in the operator's words: its message, not its class; none for a stop that was asked
     * for (the summary's first line says it stopped). A driver's message may quote the repository's
     * URL, credentials and all.
     */
    static @Nullable String failure(Throwable failure) {
        InputStructureException broken = RunOutcome.cause(failure, InputStructureException.class);
        if (broken != null) {
            return "the input is not CSV any more (it changed after its check): " + broken.getMessage();
        }
        if (RunOutcome.cause(failure, JobInterruptedException.class) != null) {
            return null;
        }
        String message = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            message = cause.getMessage() == null || cause.getMessage().isBlank() ? message : cause.getMessage();
        }
        return message == null ? "an error without a message (the log above has its details)"
                : JdbcUrls.withoutPassword(message);
    }

    /** Durations in one style, as the progress lines write them: 850ms, 4.2s, 42s, 3m5s, 1h2m. */
    static String format(Duration took) {
        long millis = took.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        return RunningProgress.format(took);
    }

    /** A time of the job repository (this machine's local time) with its zone: 2026-12-06 04:17:18 UTC. */
    static String time(@Nullable LocalDateTime time) {
        return time == null ? "-" : TIME.format(time.atZone(ZoneId.systemDefault()));
    }
}
