package io.cvimport.job;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;

import io.cvimport.input.InputStructureException;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.feed.UnusableInputException;

/** What an ended execution comes to: the exit status whose word {@link RunExitCodeMapper} maps to the exit code. */
final class RunOutcome {

    private RunOutcome() {
    }

    /**
     * Rows decide when the job completed, or stopped by itself to await TIMED_OUT rows on a
     * later run; a failed, killed or stopped run (a signal, a lost lock, {@code --stop}), or
     * one that left other rows open, exits 1; an unusable or changed input exits 2.
     */
    static ExitStatus of(JobExecution execution, Map<RowStatus, Long> counts, boolean stopRequested) {
        if (unusableInput(execution)) {
            return new ExitStatus(ExitCode.USAGE.word(), "the input or an option must be mended");
        }
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.STOPPED && (stopRequested || stoppedStep(execution))) {
            return ExitStatus.STOPPED.addExitDescription("stopped on request; re-run the same command to resume");
        }
        if (status != BatchStatus.COMPLETED && status != BatchStatus.STOPPED) {
            return new ExitStatus(ExitCode.JOB_FAILED.word(), "re-run the same command to resume");
        }
        if (status == BatchStatus.STOPPED && RowStatus.OPEN.stream()
                .anyMatch(open -> open != RowStatus.TIMED_OUT && counts.getOrDefault(open, 0L) > 0)) {
            // Rows were left open for the next run (a key variable unset, a project list unreadable).
            return ExitStatus.STOPPED.addExitDescription("rows left open for the next run");
        }
        boolean allFine = counts.entrySet().stream()
                .allMatch(e -> e.getValue() == 0 || RowStatus.FINE.contains(e.getKey()));
        return new ExitStatus(allFine ? ExitCode.OK.word() : ExitCode.ROWS_NEED_ATTENTION.word());
    }

    /**
     * A step interrupted: a stop through the job repository reached it. A job that stops by
     * itself to await TIMED_OUT rows ends with every step completed.
     */
    private static boolean stoppedStep(JobExecution execution) {
        return execution.getStepExecutions().stream().anyMatch(step -> step.getStatus() == BatchStatus.STOPPED);
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

    static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
