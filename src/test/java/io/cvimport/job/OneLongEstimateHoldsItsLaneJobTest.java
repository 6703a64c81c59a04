package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
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
 * Review of issue 11 (source2): the issue lets a source row's export estimate set that
 * row's first listing. CallsDue holds every listing of the lane (once its queue is empty)
 * until the largest estimate of any awaited row (Lane.lastEstimatedFinishNanos): one big
 * project keeps the rows imported after it IMPORTING, unsettled and unreported, for as long
 * as its estimate (up to import.timeout), though their own imports ended long before.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:one-long-estimate-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        // The source: one export a second, so that the test sees the first export before the second.
        "import.rates.eastus=1",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=120s" })
class OneLongEstimateHoldsItsLaneJobTest {

    static final String SOURCE = "5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d01";
    static final String TARGET = "7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d01";
    static final int ROWS = 4;
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
    void aRowIsSettledSoonAfterItsOwnImportEndsWhateverAnotherRowsEstimate(@Autowired Job importJob)
            throws Exception {
        jobs.setJob(importJob);
        List<String> lines = new ArrayList<>(List.of("sourceRegion,sourceKey,projectId,region,key"));
        for (int i = 0; i < ROWS; i++) {
            String id = emulator.sourceProject(SOURCE, "estimate-" + i, 2, 2);
            lines.add("eastus," + SOURCE + "," + id + ",westus2," + TARGET);
        }
        Path input = dir.resolve("estimates.csv");
        Files.write(input, lines);
        // The first export announces (and its import takes) 25 s; every later one 200 ms.
        emulator.importDelay(Duration.ofSeconds(25), Duration.ZERO);
        long exports = emulator.exportsOf(SOURCE);
        CompletableFuture<JobRuns.Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new JobRuns.Run(jobs.startJob(JobRuns.parameters(input, dir.resolve("r.csv").toString())));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> emulator.exportsOf(SOURCE) > exports, 60);
        emulator.importDelay(Duration.ofMillis(200), Duration.ZERO);

        waitFor(() -> emulator.importedAt(TARGET).size() >= ROWS, 60);
        long lastImported = System.nanoTime();
        boolean settled = waitFor(() -> status(ROWS).equals("SUCCEEDED"), 20);
        long tookMillis = Duration.ofNanos(System.nanoTime() - lastImported).toMillis();
        System.out.println("the last row (import of 200 ms) was settled " + tookMillis
                + " ms after its import arrived; row 1 (25 s) is " + status(1));
        assertThat(running.get(120, TimeUnit.SECONDS).execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(settled).as("the last row SUCCEEDED within 20 s of its import").isTrue();
        assertThat(tookMillis).as("ms from the last row's import to its SUCCEEDED, row 1 still importing")
                .isLessThan(8_000);
    }

    private String status(long row) {
        return jdbc.queryForObject("SELECT MAX(status) FROM import_ledger WHERE row_no = ?", String.class, row);
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
