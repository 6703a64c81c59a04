package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Review of issue 11 (source2): the issue lets a source row's export estimate set that
 * row's first listing. CallsDue holds every listing of the lane (once its queue is empty)
 * until the largest estimate of any awaited row (Lane.lastEstimatedFinishNanos): one big
 * project keeps the rows imported after it IMPORTING, unsettled and unreported, for as long
 * as its estimate (up to import.timeout), though their own imports ended long before.
 */
class OneLongEstimateHoldsItsLaneJobTest extends JobFixture {

    static final String SOURCE = key(OneLongEstimateHoldsItsLaneJobTest.class, "source");
    static final String TARGET = key(OneLongEstimateHoldsItsLaneJobTest.class, "target");
    static final int ROWS = 4;

    private long instance;

    @Test
    void aRowIsSettledSoonAfterItsOwnImportEndsWhateverAnotherRowsEstimate() throws Exception {
        emulator.key(SOURCE, TARGET);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = emulator.sourceProject(SOURCE, "estimate-" + i, 2, 2);
            // The source (southeastasia): one export a second, so that the test sees the first export before the second.
            lines.add("southeastasia," + SOURCE + "," + id + ",westus2," + TARGET);
        }
        Path input = input("estimates", "sourceRegion,sourceKey,projectId,region,key", lines);
        // The first export announces (and its import takes) 15 s; every later one 200 ms. Held
        // until that estimate, the last row (imported about 3 s after the first export) would be
        // settled some 11 s after its import: more than the 8 s asserted.
        emulator.importDelay(Duration.ofSeconds(15), Duration.ZERO);
        long exports = emulator.exportsOf(SOURCE);
        CompletableFuture<Run> running = launchInBackground(input);
        waitFor(() -> emulator.exportsOf(SOURCE) > exports, 60);
        emulator.importDelay(Duration.ofMillis(200), Duration.ZERO);

        waitFor(() -> emulator.importedAt(TARGET).size() >= ROWS, 60);
        instance = instanceOf(input);
        long lastImported = System.nanoTime();
        boolean settled = waitFor(() -> status(ROWS).equals("SUCCEEDED"), 20);
        long tookMillis = Duration.ofNanos(System.nanoTime() - lastImported).toMillis();
        System.out.println("the last row (import of 200 ms) was settled " + tookMillis
                + " ms after its import arrived; row 1 (15 s) is " + status(1));
        assertThat(running.get(120, TimeUnit.SECONDS).execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(settled).as("the last row SUCCEEDED within 20 s of its import").isTrue();
        assertThat(tookMillis).as("ms from the last row's import to its SUCCEEDED, row 1 still importing")
                .isLessThan(8_000);
    }

    private String status(long row) {
        return jdbc.queryForObject("SELECT MAX(status) FROM import_ledger WHERE job_instance_id = ? AND row_no = ?", String.class,
                instance, row);
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
