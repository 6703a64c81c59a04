package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * A source row whose export keeps failing (503) is never marked sent: it stays PENDING, and
 * the export's error is what the ledger shows the operator while it waits, and after the run.
 */
@TestPropertySource(properties = {
        // A context of its own: an export refused twice is given up (the message counts the attempts).
        "import.max-attempts=2" })
class ExportFailureJobTest extends JobFixture {

    static final String SOURCE = key(ExportFailureJobTest.class, "source");
    static final String TARGET = key(ExportFailureJobTest.class, "target");
    @Test
    void anExportThatKeepsFailingLeavesTheRowPendingWithTheExportsError() throws Exception {
        emulator.key(SOURCE, TARGET);
        String bees = emulator.sourceProject(SOURCE, "bees", 1, 1);
        emulator.failNextExports(100);
        Path input = input("failing", "sourceRegion,sourceKey,projectId,region,key",
                List.of("eastus," + SOURCE + "," + bees + ",westus2," + TARGET));

        JobExecution execution = launch(input).execution();

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
