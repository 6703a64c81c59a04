package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.RowStatus;

/**
 * Issue 10: the import step shows its progress in the job repository while it runs, and a
 * stop requested through the repository (as {@code JobOperator.stop} in another process
 * writes it) ends the step at its next round; the next run finishes every row once.
 */
@TestPropertySource(properties = {
        // A context of its own: at most 4 calls in flight, so that the run lasts long enough to be stopped.
        "import.concurrency=4",
        "import.progress-every=300ms",
        "import.timeout=60s" })
class ImportStopJobTest extends JobFixture {

    static final String KEY = key(ImportStopJobTest.class, "target");
    static final int ROWS = 60;
    @BeforeEach
    void defaults() {
        emulator.key(KEY).importDelay(Duration.ofMillis(100), Duration.ofMillis(50));
    }

    private String token(int i) {
        return token(String.valueOf(i));
    }

    @Test
    void aStopWrittenToTheRepositoryEndsTheStepAtItsNextRoundAndTheNextRunFinishesEveryRowOnce() throws Exception {
        // Every call takes 400 ms and at most 4 are in flight: the run would take about 8 s.
        emulator.latency(Duration.ofMillis(400));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + token(i) + "\",westus2," + KEY);
        }
        Path input = input("stop", "token,region,key", lines);

        CompletableFuture<Run> running = launchInBackground(input);

        // What another process sees: the running import step's rows settled, growing.
        LongSupplier written = () -> jdbc.queryForObject("SELECT COALESCE(MAX(WRITE_COUNT), 0) FROM"
                + " BATCH_STEP_EXECUTION WHERE STEP_NAME = 'import' AND STATUS = 'STARTED' AND JOB_EXECUTION_ID IN"
                + " (SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?)", Long.class,
                instanceOf(input));
        waitFor("the running step's write count to show settled rows", Duration.ofSeconds(30), () -> written.getAsLong() >= 3);
        long seenWhileRunning = written.getAsLong();
        assertThat(seenWhileRunning).as("rows settled while others are still importing").isLessThan(ROWS);

        // JobOperator.stop from another process: the execution's status in the repository, nothing in memory.
        long started = System.nanoTime();
        assertThat(stopThroughTheRepository(input)).isEqualTo(1);
        JobExecution first = running.get(60, TimeUnit.SECONDS).execution();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        // A round (300 ms) plus the calls in flight (400 ms each), with room for a loaded machine.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        long instance = first.getJobInstance().getInstanceId();
        Map<RowStatus, Long> counts = ledger.countsByStatus(instance);
        assertThat(counts.getOrDefault(RowStatus.PENDING, 0L)).as("rows left for the next run: %s", counts)
                .isPositive();
        assertThat(counts.getOrDefault(RowStatus.SUBMITTING, 0L)).as("calls in flight were recorded: %s", counts)
                .isZero();
        StepExecution importStep = first.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("import")).findFirst().orElseThrow();
        assertThat(importStep.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(importStep.getWriteCount()).isGreaterThanOrEqualTo(seenWhileRunning);

        emulator.latency(Duration.ZERO);
        JobExecution second = launch(input).execution();

        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(instance);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ledger.countsByStatus(instance)).containsExactly(Map.entry(RowStatus.SUCCEEDED, (long) ROWS));
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).as("imports of row %d", i + 1).isEqualTo(1);
        }
    }

}
