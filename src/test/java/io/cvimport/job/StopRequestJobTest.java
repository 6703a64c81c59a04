package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;

/**
 * {@code --stop} of a running execution through the job repository, as another process
 * does it: the job ends STOPPED (never UNKNOWN), with the exit status STOPPED, and the
 * next start of the same job finishes it with every token imported once.
 */
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:stop-request-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=2",
        "import.progress-every=200ms",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms" })
class StopRequestJobTest {

    private static final String KEY = "cccccccccccccccccccccccccccccccc";
    private static final int ROWS = 8;
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY).importDelay(Duration.ofMillis(500), Duration.ZERO));

    @TempDir
    Path dir;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    Job importJob;

    @Autowired
    StopRequest stopRequest;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @Test
    void aStopThroughTheRepositoryEndsTheJobStoppedAndTheNextStartFinishesIt() throws Exception {
        Path input = input();
        JobParameters parameters = parameters(input);
        CompletableFuture<JobExecution> running = CompletableFuture.supplyAsync(() -> start(parameters));
        awaitImportStepRunning();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(stopRequest.request(new PrintStream(printed, true, StandardCharsets.UTF_8), input))
                .isEqualTo(ExitCode.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("stop requested for execution")
                .contains(input.toString());

        JobExecution stopped = running.get(120, TimeUnit.SECONDS);
        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(stopped.getExitStatus().getExitCode()).isEqualTo("STOPPED");
        JobExecution recorded = jobRepository.getJobExecution(stopped.getId());
        assertThat(recorded.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(recorded.getExitStatus().getExitCode()).isEqualTo("STOPPED");
        assertThat(recorded.getStepExecutions()).extracting(StepExecution::getStatus)
                .doesNotContain(BatchStatus.UNKNOWN, BatchStatus.STARTED);

        JobExecution resumed = start(parameters);
        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).as("row " + (i + 1)).isEqualTo(1);
        }
    }

    @Test
    void withNothingRunningItSaysSo() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(stopRequest.request(new PrintStream(printed, true, StandardCharsets.UTF_8),
                dir.resolve("none.csv"))).isEqualTo(ExitCode.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("no running execution");
    }

    private JobExecution start(JobParameters parameters) {
        try {
            return jobOperator.start(importJob, parameters);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitImportStepRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (emulator.imports() < 1 || !importStepRunning())) {
            Thread.sleep(20);
        }
        assertThat(importStepRunning()).isTrue();
    }

    private boolean importStepRunning() {
        return jobRepository.findRunningJobExecutions(ImportJobConfiguration.JOB_NAME).stream()
                .map(e -> jobRepository.getJobExecution(e.getId()))
                .flatMap(e -> e.getStepExecutions().stream())
                .anyMatch(step -> step.getStepName().equals("import") && step.getStatus() == BatchStatus.STARTED);
    }

    private JobParameters parameters(Path input) {
        return JobRuns.parameters(input, dir.resolve("report.csv").toString());
    }

    private Path input() throws IOException {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + token(i) + "\",westus2," + KEY);
        }
        Path file = dir.resolve("stop-request.csv");
        Files.write(file, lines);
        return file;
    }

    private static String token(int i) {
        return JobRuns.token("StopRequestJobTest", String.valueOf(i));
    }
}
