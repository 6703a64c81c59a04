package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import io.cvimport.ledger.RowStatus;
import io.cvimport.scale.Partition;

/** The progress line of a running execution, from records as the job repository holds them. */
class RunningProgressTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 29, 18, 0, 0);

    @Test
    void aRunningImportShowsRowsSettledRateAndTimeLeft() {
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.STARTED);
        StepExecution load = step(execution, 1L, "load", BatchStatus.COMPLETED, NOW.minusMinutes(5));
        load.setEndTime(NOW.minusMinutes(4));
        StepExecution importing = step(execution, 2L, "import", BatchStatus.STARTED, NOW.minusSeconds(100));
        importing.setWriteCount(180);
        importing.setFilterCount(15);
        importing.setProcessSkipCount(5);
        importing.setLastUpdated(NOW.minusSeconds(2));
        execution.addStepExecutions(List.of(load, importing));

        String line = RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.SUCCEEDED, 170,
                RowStatus.PENDING, 350, RowStatus.IMPORTING, 50), NOW);

        assertThat(line).isEqualTo("import step running for 1m40s: 200 rows settled by this execution"
                + " (180 with a project, 15 rejected, 5 in doubt), 2.0 rows/s, 400 rows open, about 3m20s left;"
                + " last recorded 2s ago");
    }

    @Test
    void nothingSettledYetLeavesTheTimeLeftUnknown() {
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.STARTED);
        execution.addStepExecutions(List.of(step(execution, 2L, "import", BatchStatus.STARTED, NOW.minusSeconds(3))));
        assertThat(RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.PENDING, 10), NOW))
                .contains("0 rows settled by this execution").contains("no row settled yet")
                .contains("10 rows open").doesNotContain("0.0 rows/s");
    }

    @Test
    void aStopRequestedThroughTheRepositoryIsShownUntilTheStepEnds() {
        // JobOperator.stop records the job STOPPED at once; its step runs until its next round.
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.STOPPED);
        execution.setEndTime(NOW.minusSeconds(1));
        execution.addStepExecutions(List.of(step(execution, 2L, "import", BatchStatus.STARTED, NOW.minusSeconds(30))));
        assertThat(RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.PENDING, 10), NOW))
                .startsWith("import step running for 30s (stop requested): ");
    }

    @Test
    void aLoadingRunShowsRowsRead() {
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.STARTED);
        StepExecution load = step(execution, 1L, "load", BatchStatus.STARTED, NOW.minusSeconds(12));
        load.setReadCount(3000);
        execution.addStepExecutions(List.of(load));
        assertThat(RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.PENDING, 3000), NOW))
                .isEqualTo("load step running for 12s: 3000 rows read");
    }

    @Test
    void anEndedExecutionHasNoProgressLine() {
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.COMPLETED);
        StepExecution done = step(execution, 2L, "import", BatchStatus.COMPLETED, NOW.minusSeconds(30));
        done.setEndTime(NOW.minusSeconds(5));
        execution.addStepExecutions(List.of(done));
        assertThat(RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.SUCCEEDED, 10), NOW)).isNull();
    }

    @Test
    void aPartitionedImportSumsItsPartitionsAndShowsEachOne() {
        JobExecution execution = RunExitStatusTest.execution(BatchStatus.STARTED);
        StepExecution manager = step(execution, 2L, "import", BatchStatus.STARTED, NOW.minusSeconds(100));
        StepExecution first = partition(execution, 3L, 0, BatchStatus.COMPLETED, 120);
        first.setEndTime(NOW.minusSeconds(20));
        StepExecution second = partition(execution, 4L, 1, BatchStatus.STARTED, 80);
        second.setFilterCount(5);
        second.setLastUpdated(NOW.minusSeconds(3));
        execution.addStepExecutions(List.of(manager, first, second));

        assertThat(RunningProgress.of(execution, RunExitStatusTest.rows(RowStatus.SUCCEEDED, 200,
                RowStatus.PENDING, 100), NOW)).startsWith("import step running for 1m40s: 205 rows settled by this"
                        + " execution (200 with a project, 5 rejected, 0 in doubt), 2.1 rows/s, 100 rows open");
        assertThat(RunningProgress.partitions(execution, java.util.Map.of(4L, "pid 7 on worker-b"), NOW))
                .containsExactly(
                        "partition 0 of 2: COMPLETED, 120 rows settled (120 with a project, 0 rejected, 0 in doubt)",
                        "partition 1 of 2: STARTED, worker pid 7 on worker-b, 85 rows settled (80 with a project,"
                                + " 5 rejected, 0 in doubt), last recorded 3s ago");
    }

    private static StepExecution partition(JobExecution execution, long id, int number, BatchStatus status,
            long written) {
        StepExecution step = step(execution, id, "import:partition" + number + "of2", status, NOW.minusSeconds(99));
        new io.cvimport.scale.Partition(number, 2).writeTo(step.getExecutionContext());
        step.setWriteCount(written);
        return step;
    }

    private static StepExecution step(JobExecution execution, long id, String name, BatchStatus status,
            LocalDateTime started) {
        StepExecution step = new StepExecution(id, name, execution);
        step.setStatus(status);
        step.setStartTime(started);
        return step;
    }
}
