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

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * Review of issue 11 (source2): verification became a paced call queued on the lane
 * (Lane.toVerify). A stop (--stop, through the repository) while rows wait there ends the
 * run with those rows SUCCEEDED and never verified: a settled row is not opened again, so no
 * later run verifies it either. Before the change the listing verified each row it settled
 * before the run could end.
 */
class StopWithVerificationQueuedJobTest extends JobFixture {

    static final String SOURCE = key(StopWithVerificationQueuedJobTest.class, "source");
    static final String TARGET = key(StopWithVerificationQueuedJobTest.class, "target");
    static final int ROWS = 8;

    @Test
    void aStopWhileVerificationsAreQueuedLeavesNoSucceededRowUnverified() throws Exception {
        // Every import ends 2 s after it arrived: the rows sent in the first seconds settle in one listing.
        emulator.key(SOURCE, TARGET).importDelay(Duration.ofSeconds(2), Duration.ZERO);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = emulator.sourceProject(SOURCE, "verify-" + i, 3, 2);
            // The target (japaneast): 2 calls a second, so GetTags of rows settled together queue for seconds.
            lines.add("eastus," + SOURCE + "," + id + ",japaneast," + TARGET);
        }
        Path input = input("verify", "sourceRegion,sourceKey,projectId,region,key", lines);

        CompletableFuture<Run> running = launchInBackground(input);
        waitFor("a row SUCCEEDED", Duration.ofSeconds(60), () -> ledgerRows(input, "status = 'SUCCEEDED'") >= 1);
        assertThat(stopThroughTheRepository(input)).isEqualTo(1);
        JobExecution first = running.get(120, TimeUnit.SECONDS).execution();
        assertThat(first.getStatus()).as("the run was stopped before its end").isEqualTo(BatchStatus.STOPPED);
        long unverified = ledgerRows(input, "status = 'SUCCEEDED' AND verified IS NULL");
        System.out.println("after the stop: " + ledgerRows(input, "status = 'SUCCEEDED'") + " rows SUCCEEDED, " + unverified
                + " of them never verified");

        JobExecution second = launch(input).execution();
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(report(input)))).getRecords();
        assertThat(rows).hasSize(ROWS);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("SUCCEEDED");
            assertThat(row.get("verified")).as("verified, row " + row.get("row")).isEqualTo("true");
        });
    }

}
