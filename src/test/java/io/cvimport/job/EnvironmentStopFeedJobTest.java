package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.RowStatus;

/**
 * Every lane stops for its environment (the endpoint's name does not resolve) while each
 * target holds its share of rows queued: the feed hands the rest on rather than waiting for
 * lanes that take no more, and the run ends, its rows left PENDING for the next.
 */
@TestPropertySource(properties = {
        // A context of its own: a window of 4 rows, and westus2's endpoint a name that does not resolve.
        "import.window=4",
        "customvision.endpoints.westus2=https://cv-import-test.invalid" })
class EnvironmentStopFeedJobTest extends JobFixture {

    @Test
    void lanesStoppedForTheirEnvironmentDoNotHoldTheFeed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int target = 1; target <= 3; target++) {
            for (int row = 1; row <= 20; row++) {
                lines.add("\"https://cvexports.blob.core.windows.net/exports/env/" + target + "-" + row
                        + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=e" + row + "\",westus2,"
                        + "%032x".formatted(0xE0E0L + target));
            }
        }
        Path input = input("env", "token,region,key", lines);
        CompletableFuture<Run> running = launchInBackground(input);

        JobExecution execution = running.get(120, TimeUnit.SECONDS).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(ledger.countsByStatus(execution.getJobInstance().getInstanceId()))
                .containsExactly(Map.entry(RowStatus.PENDING, 60L));
    }
}
