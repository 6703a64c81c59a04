package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.job.JobRuns.Run;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * A file grouped by target, as a migration file sorted by tenant is: the rows to send are
 * chosen from the ledger target by target, so every target imports from the start rather
 * than once the targets before it in the file have drained through the window.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:grouped-input-job-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=10",
        "import.window=20",
        "import.progress-every=300ms",
        "import.poll-interval=200ms",
        "import.max-poll-interval=500ms" })
class GroupedInputJobTest {

    private static final int TARGETS = 10;
    private static final int ROWS_PER_TARGET = 30;
    private static final List<String> KEYS = keys();
    private static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEYS.toArray(String[]::new))
            .importDelay(Duration.ofMillis(200), Duration.ofMillis(100)));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @Autowired
    JdbcTemplate jdbc;

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= TARGETS; i++) {
            keys.add("%032x".formatted(0xC0FFEE00L + i));
        }
        return keys;
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void noLatency() {
        emulator.latency(Duration.ZERO);
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    private static String token(String name, String key, int row) {
        return "https://cvexports.blob.core.windows.net/exports/" + name + "/" + key.substring(24) + "-" + row
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=s" + row;
    }

    /** Rows per target, one block per target. */
    private Path grouped(String name, List<String> keys, int rows) throws IOException {
        Path input = dir.resolve(name + ".csv");
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (String key : keys) {
            for (int row = 1; row <= rows; row++) {
                lines.add("\"" + token(name, key, row) + "\",westus2," + key);
            }
        }
        Files.write(input, lines);
        return input;
    }

    private JobParameters parameters(Path input) {
        return JobRuns.parameters(input, dir.resolve(input.getFileName() + ".report.csv").toString());
    }

    @Test
    void everyTargetOfAFileGroupedByTargetImportsFromTheStart(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        JobExecution execution = jobs.startJob(parameters(grouped("grouped", KEYS, ROWS_PER_TARGET)));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<RowStatus, Long> counts = new HashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), o -> counts.merge(o.status(), 1L, Long::sum));
        assertThat(counts).containsExactly(Map.entry(RowStatus.SUCCEEDED, (long) TARGETS * ROWS_PER_TARGET));
        List<Instant> firstTargetImports = emulator.projects(KEYS.get(0)).stream()
                .map(CustomVisionEmulator.EmulatedProject::created).sorted().toList();
        assertThat(firstTargetImports).hasSize(ROWS_PER_TARGET);
        Instant twentiethOfTheFirst = firstTargetImports.get(19);
        for (String key : KEYS) {
            assertThat(emulator.projects(key)).as("imports on target %s", key.substring(24)).hasSize(ROWS_PER_TARGET);
            Instant first = emulator.projects(key).stream().map(CustomVisionEmulator.EmulatedProject::created)
                    .min(Comparator.naturalOrder()).orElseThrow();
            assertThat(first).as("first import on target %s", key.substring(24)).isBefore(twentiethOfTheFirst);
        }
    }

    /**
     * A run stopped halfway, its ledger then made as an older version wrote it for every
     * other row (no offset): the next run streams those from the input and takes the others
     * from the ledger, and every row is imported once.
     */
    @Test
    void rowsWithoutAnOffsetAreStreamedAndEveryRowIsImportedOnce(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        List<String> keys = KEYS.subList(0, 3);
        int rows = 20;
        JobParameters parameters = parameters(grouped("older", keys, rows));
        emulator.latency(Duration.ofMillis(300));
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new Run(jobs.startJob(parameters));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        LongSupplier settled = () -> jdbc.queryForObject("SELECT COUNT(*) FROM import_ledger WHERE status = 'SUCCEEDED'"
                + " AND job_instance_id IN (SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION"
                + " WHERE STATUS = 'STARTED')", Long.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (settled.getAsLong() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED'")).isEqualTo(1);
        JobExecution first = running.get(60, TimeUnit.SECONDS).execution();
        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        long instance = first.getJobInstance().getInstanceId();
        assertThat(ledger.countsByStatus(instance).getOrDefault(RowStatus.PENDING, 0L)).isPositive();
        assertThat(jdbc.update("UPDATE import_ledger SET input_offset = NULL WHERE job_instance_id = ?"
                + " AND MOD(row_no, 2) = 1", instance)).isEqualTo(keys.size() * rows / 2);

        emulator.latency(Duration.ZERO);
        JobExecution second = jobs.startJob(parameters);

        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(instance);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ledger.countsByStatus(instance)).containsExactly(
                Map.entry(RowStatus.SUCCEEDED, (long) keys.size() * rows));
        for (String key : keys) {
            for (int row = 1; row <= rows; row++) {
                assertThat(emulator.importsOf(key, token("older", key, row))).as("imports of %s", row).isEqualTo(1);
            }
        }
    }

}
