package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.job.JobRuns.Run;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * Issue 10: the import step shows its progress in the job repository while it runs, and a
 * stop requested through the repository (as {@code JobOperator.stop} in another process
 * writes it) ends the step at its next round; the next run finishes every row once.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:import-stop-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        "import.concurrency=4",
        "import.progress-every=300ms",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=60s",
        "import.in-doubt-grace=200ms",
        "import.clock-skew=20ms" })
class ImportStopJobTest {

    static final String KEY = "5555555555555555555555555555aaaa";
    static final int ROWS = 60;
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @AfterAll
    static void closeEmulator() {
        emulator.close();
    }

    @BeforeEach
    void defaults(@Autowired Job importJob) {
        jobs.setJob(importJob);
        emulator.ratePerSecond(Integer.MAX_VALUE).importDelay(Duration.ofMillis(100), Duration.ofMillis(50))
                .loseAnswers(0).slowImport(Duration.ofHours(1));
    }

    private String token(int i) {
        return JobRuns.token("ImportStopJobTest", String.valueOf(i));
    }

    @Test
    void aStopWrittenToTheRepositoryEndsTheStepAtItsNextRoundAndTheNextRunFinishesEveryRowOnce() throws Exception {
        // Every call takes 400 ms and at most 4 are in flight: the run would take about 8 s.
        emulator.latency(Duration.ofMillis(400));
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + token(i) + "\",westus2," + KEY);
        }
        Path input = dir.resolve("stop.csv");
        Files.write(input, lines);
        JobParameters parameters = JobRuns.parameters(input, dir.resolve("stop.report.csv").toString());

        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new Run(jobs.startJob(parameters));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // What another process sees: the running import step's rows settled, growing.
        LongSupplier written = () -> jdbc.queryForObject("SELECT COALESCE(MAX(WRITE_COUNT), 0) FROM"
                + " BATCH_STEP_EXECUTION WHERE STEP_NAME = 'import' AND STATUS = 'STARTED'", Long.class);
        waitFor("the running step's write count to show settled rows", () -> written.getAsLong() >= 3);
        long seenWhileRunning = written.getAsLong();
        assertThat(seenWhileRunning).as("rows settled while others are still importing").isLessThan(ROWS);

        // JobOperator.stop from another process: the execution's status in the repository, nothing in memory.
        long started = System.nanoTime();
        int stopped = jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED'");
        assertThat(stopped).isEqualTo(1);
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
        JobExecution second = jobs.startJob(parameters);

        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(instance);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ledger.countsByStatus(instance)).containsExactly(Map.entry(RowStatus.SUCCEEDED, (long) ROWS));
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).as("imports of row %d", i + 1).isEqualTo(1);
        }
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
