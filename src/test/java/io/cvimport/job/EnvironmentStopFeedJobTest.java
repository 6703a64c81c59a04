package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.cvimport.Application;
import io.cvimport.job.JobRuns.Run;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * Every lane stops for its environment (the endpoint's name does not resolve) while each
 * target holds its share of rows queued: the feed hands the rest on rather than waiting for
 * lanes that take no more, and the run ends, its rows left PENDING for the next.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:environment-stop-feed-test;DB_CLOSE_DELAY=-1",
        "customvision.endpoint=https://cv-import-test.invalid",
        "import.window=4" })
class EnvironmentStopFeedJobTest {

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @Test
    void lanesStoppedForTheirEnvironmentDoNotHoldTheFeed(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int target = 1; target <= 3; target++) {
            for (int row = 1; row <= 20; row++) {
                lines.add("\"https://cvexports.blob.core.windows.net/exports/env/" + target + "-" + row
                        + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=e" + row + "\",westus2,"
                        + "%032x".formatted(0xE0E0L + target));
            }
        }
        Path input = dir.resolve("env.csv");
        Files.write(input, lines);
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new Run(jobs.startJob(JobRuns.parameters(input, dir.resolve("env.report.csv").toString())));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        JobExecution execution = running.get(120, TimeUnit.SECONDS).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(ledger.countsByStatus(execution.getJobInstance().getInstanceId()))
                .containsExactly(Map.entry(RowStatus.PENDING, 60L));
    }
}
