package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * Issue 9 case 7: deadlines hold when the service's reads fail, and a project that stays
 * Importing across runs is given up after import.give-up-after.
 */
@TestPropertySource(properties = {
        // A context of its own: these tests are about timeouts, and want them short.
        "import.timeout=1500ms",
        "import.give-up-after=4s" })
class ImportDeadlineJobTest extends JobFixture {

    static final String KEY = key(ImportDeadlineJobTest.class, "target");

    @BeforeEach
    void defaults() {
        emulator.key(KEY).importDelay(Duration.ofMillis(100), Duration.ZERO);
    }

    private Path input(String name, String token) throws IOException {
        return input(name, "token,region,key", List.of("\"" + token(token) + "\",westus2," + KEY));
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
        Path input = input("reads-down", "slow-reads-down");
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
        Path input = input("stuck", "slow-stuck");
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
        Path again = input("stuck-again", "slow-stuck");
        JobExecution third = launch(again).execution();

        Outcome retried = row(third, 1);
        assertThat(emulator.importsOf(KEY, token("slow-stuck"))).isEqualTo(1);
        assertThat(retried.status()).isEqualTo(RowStatus.FAILED);
        assertThat(retried.projectId()).isEqualTo(outcome.projectId());
        assertThat(retried.message()).contains("stuck Importing").contains("import.reimport");
    }

    @Test
    void timedOutRowsAreAwaitedAgainByTheNextRun() throws Exception {
        emulator.slowImport(Duration.ofMillis(2500));
        Path input = input("slow", "token,region,key", List.of("\"" + token("slow-one") + "\",westus2," + KEY,
                "\"" + token("quick-one") + "\",westus2," + KEY));

        JobExecution first = launch(input).execution();
        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(statuses(first)).containsExactly(Map.entry(1L, RowStatus.TIMED_OUT),
                Map.entry(2L, RowStatus.SUCCEEDED));

        JobExecution second = launch(input).execution();
        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(first.getJobInstance().getInstanceId());
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(statuses(second)).containsExactly(Map.entry(1L, RowStatus.SUCCEEDED),
                Map.entry(2L, RowStatus.SUCCEEDED));
        assertThat(emulator.importsOf(KEY, token("slow-one"))).isEqualTo(1);
    }
}
