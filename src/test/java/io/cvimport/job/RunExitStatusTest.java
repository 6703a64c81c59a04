package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import io.cvimport.input.InputStructureException;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.feed.UnusableInputException;

/** The exit status a job gets from its rows, and the exit code that status maps to: no job runs. */
class RunExitStatusTest {

    private final RunExitCodeMapper mapper = new RunExitCodeMapper();

    @Test
    void everyRowFineCompletesWithZero() {
        assertThat(outcome(BatchStatus.COMPLETED, rows(RowStatus.SUCCEEDED, 5, RowStatus.DUPLICATE, 1,
                RowStatus.ALREADY_IMPORTED, 2), false)).isEqualTo("COMPLETED 0");
    }

    @Test
    void aRowInAnotherOutcomeNeedsAttentionWithThree() {
        for (RowStatus other : new RowStatus[] { RowStatus.REJECTED, RowStatus.FAILED, RowStatus.INVALID,
                RowStatus.IN_DOUBT }) {
            assertThat(outcome(BatchStatus.COMPLETED, rows(RowStatus.SUCCEEDED, 5, other, 1), false)).as(other.name())
                    .isEqualTo("ROWS_NEED_ATTENTION 3");
        }
    }

    @Test
    void aJobThatStoppedByItselfToAwaitTimedOutRowsIsDecidedByItsRows() {
        assertThat(outcome(BatchStatus.STOPPED, rows(RowStatus.SUCCEEDED, 5, RowStatus.TIMED_OUT, 1), false))
                .isEqualTo("ROWS_NEED_ATTENTION 3");
    }

    @Test
    void rowsLeftOpenForTheNextRunStopWithOne() {
        assertThat(outcome(BatchStatus.STOPPED, rows(RowStatus.SUCCEEDED, 5, RowStatus.PENDING, 1), false))
                .isEqualTo("STOPPED 1");
    }

    @Test
    void aStopRequestedInThisProcessStopsWithOneWhateverTheRows() {
        assertThat(outcome(BatchStatus.STOPPED, rows(RowStatus.SUCCEEDED, 5), true)).isEqualTo("STOPPED 1");
    }

    @Test
    void aStopThroughTheRepositoryIsSeenInTheInterruptedStep() {
        JobExecution execution = execution(BatchStatus.STOPPED);
        StepExecution load = new StepExecution(2L, "load", execution);
        load.setStatus(BatchStatus.COMPLETED);
        StepExecution interrupted = new StepExecution(3L, "import", execution);
        interrupted.setStatus(BatchStatus.STOPPED);
        execution.addStepExecutions(java.util.List.of(load, interrupted));
        assertThat(outcome(execution, rows(RowStatus.SUCCEEDED, 5), false)).isEqualTo("STOPPED 1");
    }

    @Test
    void aFailedJobFailsWithOne() {
        assertThat(outcome(BatchStatus.FAILED, rows(RowStatus.SUCCEEDED, 5), false)).isEqualTo("FAILED 1");
        assertThat(outcome(BatchStatus.UNKNOWN, rows(RowStatus.SUCCEEDED, 5), false)).isEqualTo("FAILED 1");
    }

    @Test
    void anUnusableOrChangedInputIsTwo() {
        JobExecution broken = execution(BatchStatus.FAILED);
        broken.addFailureException(new IllegalStateException("chunk failed", new InputStructureException(6, "x")));
        assertThat(outcome(broken, rows(RowStatus.PENDING, 5), false)).isEqualTo("INPUT_UNUSABLE 2");
        JobExecution changed = execution(BatchStatus.FAILED);
        changed.addFailureException(new UnusableInputException("row 3 changed"));
        assertThat(outcome(changed, rows(RowStatus.PENDING, 5), true)).isEqualTo("INPUT_UNUSABLE 2");
    }

    @Test
    void theMapperKnowsEveryWordAndMakesAnyOtherOne() {
        for (ExitCode code : ExitCode.values()) {
            assertThat(mapper.intValue(code.word())).isEqualTo(code.code());
        }
        assertThat(mapper.intValue("STOPPED")).isEqualTo(1);
        assertThat(mapper.intValue(ExitStatus.UNKNOWN.getExitCode())).isEqualTo(1);
        assertThat(mapper.intValue(ExitStatus.EXECUTING.getExitCode())).isEqualTo(1);
        assertThat(mapper.intValue(ExitStatus.NOOP.getExitCode())).isEqualTo(1);
        assertThat(mapper.intValue("")).isEqualTo(1);
    }

    @Test
    void theListenerSetsTheJobsExitStatusFromItsRowsAndThisProcesssStop() {
        RunControl control = new RunControl();
        Map<RowStatus, Long> counts = rows(RowStatus.SUCCEEDED, 5, RowStatus.REJECTED, 1);
        RunExitStatus listener = new RunExitStatus(execution -> counts, control);

        JobExecution finished = execution(BatchStatus.COMPLETED);
        control.beforeJob(finished);
        listener.afterJob(finished);
        control.afterJob(finished);
        assertThat(finished.getExitStatus().getExitCode()).isEqualTo("ROWS_NEED_ATTENTION");

        JobExecution signalled = execution(BatchStatus.STOPPED);
        control.beforeJob(signalled);
        control.stop();
        listener.afterJob(signalled);
        control.afterJob(signalled);
        assertThat(signalled.getExitStatus().getExitCode()).isEqualTo("STOPPED");

        JobExecution next = execution(BatchStatus.COMPLETED);
        control.beforeJob(next);
        listener.afterJob(next);
        assertThat(next.getExitStatus().getExitCode()).as("a stop belongs to one execution").isEqualTo(
                "ROWS_NEED_ATTENTION");
    }

    @Test
    void rowsThatCannotBeCountedFailWithOne() {
        RunExitStatus listener = new RunExitStatus(execution -> {
            throw new IllegalStateException("database gone");
        }, new RunControl());
        JobExecution execution = execution(BatchStatus.COMPLETED);
        listener.afterJob(execution);
        assertThat(mapper.intValue(execution.getExitStatus().getExitCode())).isEqualTo(1);
    }

    private String outcome(BatchStatus status, Map<RowStatus, Long> counts, boolean stopRequested) {
        return outcome(execution(status), counts, stopRequested);
    }

    private String outcome(JobExecution execution, Map<RowStatus, Long> counts, boolean stopRequested) {
        String word = RunOutcome.of(execution, counts, stopRequested).getExitCode();
        return word + " " + mapper.intValue(word);
    }

    static JobExecution execution(BatchStatus status) {
        JobExecution execution = new JobExecution(1L, new JobInstance(1L, ImportJobConfiguration.JOB_NAME),
                new JobParameters());
        execution.setStatus(status);
        execution.setStartTime(LocalDateTime.now());
        return execution;
    }

    static Map<RowStatus, Long> rows(Object... statusAndCount) {
        Map<RowStatus, Long> rows = new EnumMap<>(RowStatus.class);
        for (int i = 0; i < statusAndCount.length; i += 2) {
            rows.put((RowStatus) statusAndCount[i], ((Integer) statusAndCount[i + 1]).longValue());
        }
        return rows;
    }
}
