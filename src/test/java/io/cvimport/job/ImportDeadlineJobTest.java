package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import io.cvimport.job.JobRuns.Run;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * Issue 9 case 7: deadlines hold when the service's reads fail, and a project that stays
 * Importing across runs is given up after import.give-up-after.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:import-deadline-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=1500ms",
        "import.give-up-after=4s",
        "import.in-doubt-grace=200ms",
        "import.clock-skew=20ms" })
class ImportDeadlineJobTest {

    static final String KEY = "dddddddddddddddddddddddddddddddd";
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY));

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

    @AfterAll
    static void closeEmulator() {
        emulator.close();
    }

    @BeforeEach
    void defaults(@Autowired Job importJob) {
        jobs.setJob(importJob);
        emulator.failReads(false).failReadsOnceImported(false).loseAnswers(0).slowImport(Duration.ofHours(1))
                .importDelay(Duration.ofMillis(100), Duration.ZERO);
    }

    static String token(String name) {
        return JobRuns.token("deadline", name);
    }

    private Run launch(Path input) throws Exception {
        return new Run(jobs.startJob(JobRuns.parameters(input, dir.resolve("report.csv").toString())));
    }

    private Outcome row(JobExecution execution, long rowNo) {
        Outcome[] found = new Outcome[1];
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), o -> {
            if (o.rowNo() == rowNo) {
                found[0] = o;
            }
        });
        return found[0];
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whenListingsAndGetProjectKeepFailingTheImportDeadlineStillEndsTheRun() throws Exception {
        Path input = dir.resolve("reads-down.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("slow-reads-down") + "\",westus2," + KEY));
        // The target's first listing (which tells its resource) answers; every read after the import fails.
        emulator.failReadsOnceImported(true);

        JobExecution execution = launch(input).execution();

        String project = emulator.projectIdsOf(KEY, token("slow-reads-down")).get(0);
        Outcome outcome = row(execution, 1);
        assertThat(outcome.status()).isEqualTo(RowStatus.TIMED_OUT);
        assertThat(outcome.projectId()).isEqualTo(project);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(emulator.importsOf(KEY, token("slow-reads-down"))).isEqualTo(1);
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aProjectStuckImportingAcrossRunsEndsFailedAfterGiveUpAfter() throws Exception {
        Path input = dir.resolve("stuck.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("slow-stuck") + "\",westus2," + KEY));
        long started = System.currentTimeMillis();

        JobExecution first = launch(input).execution();
        assertThat(row(first, 1).status()).isEqualTo(RowStatus.TIMED_OUT);

        // import.give-up-after (4 s) counts from the row's sent time, across runs.
        Thread.sleep(Math.max(0, started + 4500 - System.currentTimeMillis()));
        JobExecution second = launch(input).execution();

        Outcome outcome = row(second, 1);
        assertThat(outcome.status()).isEqualTo(RowStatus.FAILED);
        assertThat(outcome.message()).contains("stuck Importing");
        assertThat(outcome.projectId()).isEqualTo(emulator.projectIdsOf(KEY, token("slow-stuck")).get(0));
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(emulator.importsOf(KEY, token("slow-stuck"))).isEqualTo(1);

        // The operator puts the stuck row in a new file: its project may still succeed, so its
        // claim holds for every input and nothing is sent (only import.reimport would send it).
        Path again = dir.resolve("stuck-again.csv");
        Files.write(again, List.of("token,region,key", "\"" + token("slow-stuck") + "\",westus2," + KEY));
        JobExecution third = launch(again).execution();

        Outcome retried = row(third, 1);
        assertThat(emulator.importsOf(KEY, token("slow-stuck"))).isEqualTo(1);
        assertThat(retried.status()).isEqualTo(RowStatus.FAILED);
        assertThat(retried.projectId()).isEqualTo(outcome.projectId());
        assertThat(retried.message()).contains("stuck Importing").contains("import.reimport");
    }
}
