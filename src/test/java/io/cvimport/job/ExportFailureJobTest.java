package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * A source row whose export keeps failing (503) is never marked sent: it stays PENDING, and
 * the export's error is what the ledger shows the operator while it waits, and after the run.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:export-failure-job-test;DB_CLOSE_DELAY=-1",
        "import.max-attempts=2",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms" })
class ExportFailureJobTest {

    static final String SOURCE = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
    static final String TARGET = "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e";
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(SOURCE, TARGET));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @Test
    void anExportThatKeepsFailingLeavesTheRowPendingWithTheExportsError(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        String bees = emulator.sourceProject(SOURCE, "bees", 1, 1);
        emulator.failNextExports(100);
        Path input = dir.resolve("failing.csv");
        Files.write(input, List.of("sourceRegion,sourceKey,projectId,region,key",
                "eastus," + SOURCE + "," + bees + ",westus2," + TARGET));

        JobExecution execution = jobs.startJob(JobRuns.parameters(input, dir.resolve("report.csv").toString()));

        assertThat(execution.getStatus()).as("a row left unsent fails the run, resumably").isEqualTo(BatchStatus.FAILED);
        List<Outcome> outcomes = new ArrayList<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), outcomes::add);
        assertThat(outcomes).hasSize(1);
        Outcome row = outcomes.get(0);
        assertThat(row.status()).isEqualTo(RowStatus.PENDING);
        assertThat(row.errorCode()).isEqualTo("ServiceUnavailable");
        assertThat(row.message()).isEqualTo("not sent after 2 attempts: The service is temporarily unavailable.");
        assertThat(emulator.imports()).as("nothing was imported").isZero();
    }
}
