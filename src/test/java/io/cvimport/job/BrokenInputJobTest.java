package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A file that breaks after the check before the run (it changed in between): the job's own
 * reader stops at the same limits, names the line, imports nothing, and the run exits 2
 * rather than offering a resume that cannot help.
 */
class BrokenInputJobTest extends JobFixture {

    static final String KEY = key(BrokenInputJobTest.class, "target");

    @Autowired
    RunSummary summary;

    @BeforeEach
    void target() {
        emulator.key(KEY);
    }

    private static String token(int i) {
        return "https://cvexports.blob.core.windows.net/exports/broken-job-" + i
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=J" + i;
    }

    private static String row(int i) {
        return token(i) + ",westus2," + KEY;
    }

    @Test
    void aQuoteNeverClosedFailsTheLoadNamingTheLineAndExitsTwo() throws Exception {
        Path input = dir.resolve("unclosed.csv");
        Files.write(input, List.of("token,region,key", row(1), row(2), "\"" + row(3), row(4)));

        long importsBefore = emulator.imports();
        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getAllFailureExceptions()).singleElement()
                .satisfies(failure -> assertThat(failure).rootCause().message().startsWith("line 4: a quoted field is never closed (it runs to the end of the file)"));
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false)).isEqualTo(ExitCode.USAGE);
        assertThat(emulator.imports()).as("imports by this run").isEqualTo(importsBefore);
    }

    @Test
    void aQuoteNeverClosedPastTheLimitIsNotReadIntoMemory() throws Exception {
        Path input = dir.resolve("runaway.csv");
        Files.write(input, List.of("token,region,key", row(1), "\"" + row(2), "x,y,z\n".repeat(500_000), row(3)));

        long importsBefore = emulator.imports();
        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getAllFailureExceptions()).singleElement()
                .satisfies(failure -> assertThat(failure).rootCause().message().startsWith("line 3: a quoted field is never closed (it runs to the end of the file)"));
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false)).isEqualTo(ExitCode.USAGE);
        assertThat(emulator.imports()).as("imports by this run").isEqualTo(importsBefore);
    }

    /**
     * A megabyte of unquoted text in row 18 of 30: its line break ends it, so it is that row's
     * problem, and every other row is loaded, numbered as it stands and imported once.
     */
    @Test
    void aMegabyteUnquotedFieldOnRow18CostsOnlyRow18() throws Exception {
        Path input = dir.resolve("long-row-18.csv");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write("token,region,key\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 1; i <= 30; i++) {
                String row = i == 18 ? "x".repeat(1 << 20) + ",westus2," + KEY : row(i);
                out.write((row + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<Long, String> outcomes = new LinkedHashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(),
                o -> outcomes.put(o.rowNo(), o.status() + (o.message() == null ? "" : ": " + o.message())));
        assertThat(outcomes).hasSize(30);
        for (long i = 1; i <= 30; i++) {
            assertThat(outcomes.get(i)).as("row %d", i).isEqualTo(i == 18
                    ? "INVALID: field too long: token has at least 1048576 characters (at most 65536)"
                    : "SUCCEEDED");
        }
        for (int i = 1; i <= 30; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).as("imports of row %d", i).isEqualTo(i == 18 ? 0 : 1);
        }
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false))
                .isEqualTo(ExitCode.ROWS_NEED_ATTENTION);
        assertThat(ExitCode.ROWS_NEED_ATTENTION.code()).isEqualTo(3);
    }
}
