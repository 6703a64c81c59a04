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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.input.InputFile;
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
        "import.poll-interval=200ms",
        "import.max-poll-interval=500ms" })
class GroupedInputJobTest {

    private static final int TARGETS = 10;
    private static final int ROWS_PER_TARGET = 30;
    private static final List<String> KEYS = keys();
    private static final CustomVisionEmulator emulator = startEmulator();

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= TARGETS; i++) {
            keys.add("%032x".formatted(0xC0FFEE00L + i));
        }
        return keys;
    }

    private static CustomVisionEmulator startEmulator() {
        try {
            return new CustomVisionEmulator().key(KEYS.toArray(String[]::new))
                    .importDelay(Duration.ofMillis(200), Duration.ofMillis(100));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @Test
    void everyTargetOfAFileGroupedByTargetImportsFromTheStart(@Autowired Job importJob) throws Exception {
        jobs.setJob(importJob);
        Path input = dir.resolve("grouped.csv");
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (String key : KEYS) {
            for (int row = 1; row <= ROWS_PER_TARGET; row++) {
                lines.add("\"https://cvexports.blob.core.windows.net/exports/grouped/" + key.substring(24) + "-" + row
                        + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=s" + row + "\",westus2," + key);
            }
        }
        Files.write(input, lines);

        JobExecution execution = jobs.startJob(new JobParametersBuilder()
                .addString(ImportJobConfiguration.INPUT_PATH, input.toString(), true)
                .addString(ImportJobConfiguration.INPUT_HASH, InputFile.open(input).contentHash(), true)
                .addString(ImportJobConfiguration.REPORT, dir.resolve("grouped.report.csv").toString(), false)
                .toJobParameters());

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
}
