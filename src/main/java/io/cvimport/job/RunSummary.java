package io.cvimport.job;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.cvimport.imports.ImportTasklet;
import io.cvimport.input.InputStructureException;
import io.cvimport.imports.UnusableInputException;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;
import io.cvimport.repository.RepositoryInUse;

/**
 * What a run comes to: its exit code, kept in the execution's context so that past runs
 * report theirs, and the summary printed at its end (or asked for later).
 */
@Component
class RunSummary {

    static final String EXIT_CODE_KEY = "exit.code";
    private static final int ATTENTION_ROWS = 10;

    private final ImportLedger ledger;
    private final JobRepository jobRepository;
    private final RepositoryInUse repository;

    RunSummary(ImportLedger ledger, JobRepository jobRepository, RepositoryInUse repository) {
        this.ledger = ledger;
        this.jobRepository = jobRepository;
        this.repository = repository;
    }

    /**
     * Rows decide when the job completed, or stopped by itself to await TIMED_OUT rows on a
     * later run; a failed, killed or signalled run, or one that left other rows open, exits 1;
     * a changed input exits 2.
     */
    ExitCode exitCodeOf(JobExecution execution, Map<RowStatus, Long> counts, boolean stoppedBySignal) {
        if (unusableInput(execution)) {
            return ExitCode.USAGE;
        }
        BatchStatus status = execution.getStatus();
        if (status != BatchStatus.COMPLETED && (status != BatchStatus.STOPPED || stoppedBySignal)) {
            return ExitCode.JOB_FAILED;
        }
        if (status == BatchStatus.STOPPED && RowStatus.OPEN.stream()
                .anyMatch(open -> open != RowStatus.TIMED_OUT && counts.getOrDefault(open, 0L) > 0)) {
            // Rows were left open for the next run (a key variable unset, a project list unreadable).
            return ExitCode.JOB_FAILED;
        }
        boolean allFine = counts.entrySet().stream()
                .allMatch(e -> e.getValue() == 0 || RowStatus.FINE.contains(e.getKey()));
        return allFine ? ExitCode.OK : ExitCode.ROWS_NEED_ATTENTION;
    }

    /**
     * The input is unusable as it stands: it turned out not to be CSV while the job read it
     * (it changed after the check before the run), it changed under the job, or an option
     * the ledger refuses. Resuming cannot help: the file or the command must be mended.
     */
    private static boolean unusableInput(JobExecution execution) {
        return execution.getAllFailureExceptions().stream().anyMatch(failure -> cause(failure,
                InputStructureException.class) != null || cause(failure, UnusableInputException.class) != null);
    }

    private static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    void record(JobExecution execution, ExitCode code) {
        execution.getExecutionContext().putInt(EXIT_CODE_KEY, code.code());
        jobRepository.updateExecutionContext(execution);
    }

    /** The code recorded at the end of the run, or what its state implies (a killed run: 1). */
    int recordedExitCode(JobExecution execution, Map<RowStatus, Long> counts) {
        if (execution.getExecutionContext().containsKey(EXIT_CODE_KEY)) {
            return execution.getExecutionContext().getInt(EXIT_CODE_KEY);
        }
        return exitCodeOf(execution, counts, execution.getStatus() == BatchStatus.STOPPED).code();
    }

    /** The rows of the execution's job instance per status: what the exit code and the summary are made of. */
    Map<RowStatus, Long> counts(JobExecution execution) {
        return ledger.countsByStatus(LedgerKey.of(execution));
    }

    void print(PrintStream out, JobExecution execution, Map<RowStatus, Long> counts, Duration took, int code) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        out.println();
        out.println("customvision-import: execution " + execution.getId() + " " + execution.getStatus()
                + (took.isZero() ? "" : " in " + format(took)) + ", " + total + " rows");
        counts.forEach((status, n) -> out.printf("  %-17s %d%n", status, n));
        execution.getStepExecutions().stream()
                .filter(step -> step.getExecutionContext().containsKey(ImportTasklet.CALLS_KEY))
                .forEach(step -> out.println("  api: " + step.getExecutionContext().getString(ImportTasklet.CALLS_KEY)));
        execution.getStepExecutions().stream()
                .filter(step -> step.getExecutionContext().containsKey(ImportTasklet.LEFT_OPEN_KEY))
                .forEach(step -> out.println("  " + step.getExecutionContext().getString(ImportTasklet.LEFT_OPEN_KEY)));
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
                out.println("    row " + outcome.rowNo() + " " + outcome.status()
                        + (outcome.errorCode() == null ? "" : " " + outcome.errorCode())
                        + (outcome.message() == null ? "" : ": " + outcome.message()));
            }
        }
        for (Throwable failure : execution.getAllFailureExceptions()) {
            InputStructureException broken = cause(failure, InputStructureException.class);
            out.println("  failure: " + (broken == null ? failure
                    : "the input is not CSV any more (it changed after its check): " + broken.getMessage()));
        }
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

    static String format(Duration took) {
        return took.toMillis() < 10_000 ? took.toMillis() + " ms" : took.toSeconds() + " s";
    }
}
