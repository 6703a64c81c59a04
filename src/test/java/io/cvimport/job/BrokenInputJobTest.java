package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import io.cvimport.job.JobRuns.Run;

/**
 * A file that breaks after the check before the run (it changed in between): the job's own
 * reader stops at the same limits, names the line, imports nothing, and the run exits 2
 * rather than offering a resume that cannot help.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = { "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:broken-input-job-test;DB_CLOSE_DELAY=-1" })
class BrokenInputJobTest {

    static final String KEY = "cccccccccccccccccccccccccccccccc";
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    RunSummary summary;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void job(@Autowired Job importJob) {
        jobs.setJob(importJob);
    }

    private Run launch(Path input) throws Exception {
        return new Run(jobs.startJob(JobRuns.parameters(input, dir.resolve("report.csv").toString())));
    }

    private static String row(int i) {
        return "https://cvexports.blob.core.windows.net/exports/broken-job-" + i
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=J" + i + ",westus2," + KEY;
    }

    @Test
    void aQuoteNeverClosedFailsTheLoadNamingTheLineAndExitsTwo() throws Exception {
        Path input = dir.resolve("unclosed.csv");
        Files.write(input, List.of("token,region,key", row(1), row(2), "\"" + row(3), row(4)));

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getAllFailureExceptions()).singleElement()
                .satisfies(failure -> assertThat(failure).rootCause().message().startsWith("line 4: a quoted field is never closed (it runs to the end of the file)"));
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false)).isEqualTo(ExitCode.USAGE);
        assertThat(emulator.imports()).isZero();
    }

    @Test
    void aRecordPastTheLimitIsNotReadIntoMemory() throws Exception {
        Path input = dir.resolve("runaway.csv");
        Files.write(input, List.of("token,region,key", row(1), "\"" + row(2), "x,y,z\n".repeat(500_000), row(3)));

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getAllFailureExceptions()).singleElement()
                .satisfies(failure -> assertThat(failure).rootCause().message().startsWith("line 3: a record longer than 1048576 characters"));
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false)).isEqualTo(ExitCode.USAGE);
        assertThat(emulator.imports()).isZero();
    }
}
