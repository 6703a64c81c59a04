package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.ledger.RowStatus;

/**
 * A file grouped by target, as a migration file sorted by tenant is: the rows to send are
 * chosen from the ledger target by target, so every target imports from the start rather
 * than once the targets before it in the file have drained through the window.
 */
@TestPropertySource(properties = {
        // A context of its own: a window smaller than a target's rows, and targets slow enough
        // (10 calls a second) that a target waiting behind another's rows would show.
        "import.rate-per-target=10",
        "import.window=20",
        "import.progress-every=300ms",
        "import.poll-interval=200ms",
        "import.max-poll-interval=500ms" })
class GroupedInputJobTest extends JobFixture {

    private static final int TARGETS = 10;
    private static final int ROWS_PER_TARGET = 30;
    private static final List<String> KEYS = keys();

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= TARGETS; i++) {
            keys.add(key(GroupedInputJobTest.class, String.valueOf(i)));
        }
        return keys;
    }

    @BeforeEach
    void targets() {
        emulator.key(KEYS.toArray(String[]::new)).importDelay(Duration.ofMillis(200), Duration.ofMillis(100));
    }

    private String token(String name, String key, int row) {
        return token(name + "/" + key.substring(24) + "-" + row);
    }

    /** Rows per target, one block per target. */
    private Path grouped(String name, List<String> keys, int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            for (int row = 1; row <= rows; row++) {
                lines.add("\"" + token(name, key, row) + "\",westus2," + key);
            }
        }
        return input(name, "token,region,key", lines);
    }

    @Test
    void everyTargetOfAFileGroupedByTargetImportsFromTheStart() throws Exception {
        JobExecution execution = launch(grouped("grouped", KEYS, ROWS_PER_TARGET)).execution();

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
    void rowsWithoutAnOffsetAreStreamedAndEveryRowIsImportedOnce() throws Exception {
        List<String> keys = KEYS.subList(0, 3);
        int rows = 20;
        Path input = grouped("older", keys, rows);
        emulator.latency(Duration.ofMillis(300));
        CompletableFuture<Run> running = launchInBackground(input);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ledgerRows(input, "status = 'SUCCEEDED'") < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stopThroughTheRepository(input)).isEqualTo(1);
        JobExecution first = running.get(60, TimeUnit.SECONDS).execution();
        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        long instance = first.getJobInstance().getInstanceId();
        assertThat(ledger.countsByStatus(instance).getOrDefault(RowStatus.PENDING, 0L)).isPositive();
        assertThat(jdbc.update("UPDATE import_ledger SET input_offset = NULL WHERE job_instance_id = ?"
                + " AND MOD(row_no, 2) = 1", instance)).isEqualTo(keys.size() * rows / 2);

        emulator.latency(Duration.ZERO);
        JobExecution second = launch(input).execution();

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
