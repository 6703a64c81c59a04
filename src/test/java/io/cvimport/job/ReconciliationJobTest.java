package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import io.cvimport.ledger.RowStatus;

/**
 * Imports whose outcome is unknown, decided without a second import: a backend that
 * performs an import after the job stopped waiting for its answer, and a row given up as
 * stuck whose token comes back in another file. A request lives at most 200 ms + 2 x 400 ms.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:reconciliation-job-test;DB_CLOSE_DELAY=-1",
        "customvision.connect-timeout=200ms",
        "customvision.response-timeout=400ms",
        "import.rate-per-target=50",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.in-doubt-grace=100ms",
        "import.clock-skew=20ms" })
class ReconciliationJobTest {

    static final String KEY_SLOW = "51015101510151015101510151015101";
    static final String KEY_STUCK = "57057057057057057057057057057057";
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY_SLOW, KEY_STUCK));

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

    @BeforeEach
    void defaults(@Autowired Job importJob) {
        jobs.setJob(importJob);
        emulator.importDelay(Duration.ofMillis(100), Duration.ZERO).performAfter(Duration.ZERO)
                .slowImport(Duration.ofHours(1));
    }

    private String token(String name) {
        return JobRuns.token(getClass().getSimpleName(), name);
    }

    private Path input(String name, String key, List<String> tokens) throws IOException {
        Path file = dir.resolve(name + ".csv");
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        tokens.forEach(t -> lines.add("\"" + t + "\",westus2," + key));
        Files.write(file, lines);
        return file;
    }

    /** Returns a {@link JobRuns.Run}: the batch test listeners take a method returning an execution for a factory. */
    private JobRuns.Run launch(Path input) throws Exception {
        return new JobRuns.Run(jobs.startJob(JobRuns.parameters(input,
                dir.resolve(input.getFileName() + ".report.csv").toString())));
    }

    private Map<Long, RowStatus> statuses(JobExecution execution) {
        return JobRuns.statuses(ledger, execution);
    }

    /**
     * The backend performs each import 700 ms after its request arrived: the job stopped
     * waiting at 400 ms and its first listing comes before the project exists. Only a listing
     * after the request's whole lifetime may conclude "never performed".
     */
    @Test
    void aSlowBackendIsAdoptedNotImportedTwice() throws Exception {
        emulator.performAfter(Duration.ofMillis(700));
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tokens.add(token("late-backend-" + i));
        }

        JobExecution execution = launch(input("late-backend", KEY_SLOW, tokens)).execution();
        // A second import sent by mistake would be performed up to 700 ms after the run ended.
        Thread.sleep(1000);

        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY_SLOW, token)).as("imports of %s", token).isEqualTo(1);
        }
        assertThat(statuses(execution)).containsOnlyKeys(1L, 2L, 3L, 4L).allSatisfy(
                (row, status) -> assertThat(status).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED));
    }
}
