package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Review of issue 11 (source2): verification became a paced call queued on the lane
 * (Lane.toVerify). A stop (--stop, through the repository) while rows wait there ends the
 * run with those rows SUCCEEDED and never verified: a settled row is not opened again, so no
 * later run verifies it either. Before the change the listing verified each row it settled
 * before the run could end.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:stop-verification-queued-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        // The target: 2 calls a second, so GetTags of rows settled together queue for seconds.
        "import.rates.northeurope=2",
        "import.progress-every=200ms",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=60s" })
class StopWithVerificationQueuedJobTest {

    static final String SOURCE = "5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f51";
    static final String TARGET = "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f71";
    static final int ROWS = 8;
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(SOURCE, TARGET));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @Test
    void aStopWhileVerificationsAreQueuedLeavesNoSucceededRowUnverified(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        // Every import ends 2 s after it arrived: the rows sent in the first seconds settle in one listing.
        emulator.importDelay(Duration.ofSeconds(2), Duration.ZERO).ratePerSecond(Integer.MAX_VALUE);
        List<String> lines = new ArrayList<>(List.of("sourceRegion,sourceKey,projectId,region,key"));
        for (int i = 0; i < ROWS; i++) {
            String id = emulator.sourceProject(SOURCE, "verify-" + i, 3, 2);
            lines.add("eastus," + SOURCE + "," + id + ",northeurope," + TARGET);
        }
        Path input = dir.resolve("verify.csv");
        Files.write(input, lines);
        Path report = dir.resolve("verify.report.csv");
        JobParameters parameters = JobRuns.parameters(input, report.toString());

        CompletableFuture<JobRuns.Run> running = CompletableFuture.supplyAsync(() -> start(parameters));
        waitFor("a row SUCCEEDED", () -> count("status = 'SUCCEEDED'") >= 1);
        int stopping = jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED'");
        assertThat(stopping).isEqualTo(1);
        JobExecution first = running.get(120, TimeUnit.SECONDS).execution();
        assertThat(first.getStatus()).as("the run was stopped before its end").isEqualTo(BatchStatus.STOPPED);
        long unverified = count("status = 'SUCCEEDED' AND verified IS NULL");
        System.out.println("after the stop: " + count("status = 'SUCCEEDED'") + " rows SUCCEEDED, " + unverified
                + " of them never verified");

        JobExecution second = start(parameters).execution();
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(report))).getRecords();
        assertThat(rows).hasSize(ROWS);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("SUCCEEDED");
            assertThat(row.get("verified")).as("verified, row " + row.get("row")).isEqualTo("true");
        });
    }

    private long count(String where) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM import_ledger WHERE " + where, Long.class);
    }

    private JobRuns.Run start(JobParameters parameters) {
        try {
            return new JobRuns.Run(jobs.startJob(parameters));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
