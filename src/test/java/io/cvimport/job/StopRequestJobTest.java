package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code --stop} of a running execution through the job repository, as another process
 * does it: the job ends STOPPED (never UNKNOWN), with the exit status STOPPED, and the
 * next start of the same job finishes it with every token imported once.
 */
class StopRequestJobTest extends JobFixture {

    private static final String KEY = key(StopRequestJobTest.class, "target");
    private static final int ROWS = 8;

    @Autowired
    StopRequest stopRequest;

    @Test
    void aStopThroughTheRepositoryEndsTheJobStoppedAndTheNextStartFinishesIt() throws Exception {
        emulator.key(KEY).importDelay(Duration.ofMillis(500), Duration.ZERO);
        Path input = input();
        CompletableFuture<Run> running = launchInBackground(input);
        awaitImportStepRunning(input);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(stopRequest.request(new PrintStream(printed, true, StandardCharsets.UTF_8), input))
                .isEqualTo(ExitCode.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("stop requested for execution")
                .contains(input.toString());

        JobExecution stopped = running.get(120, TimeUnit.SECONDS).execution();
        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(stopped.getExitStatus().getExitCode()).isEqualTo("STOPPED");
        JobExecution recorded = repository.getJobExecution(stopped.getId());
        assertThat(recorded.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(recorded.getExitStatus().getExitCode()).isEqualTo("STOPPED");
        assertThat(recorded.getStepExecutions()).extracting(StepExecution::getStatus)
                .doesNotContain(BatchStatus.UNKNOWN, BatchStatus.STARTED);

        JobExecution resumed = launch(input).execution();
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

    private void awaitImportStepRunning(Path input) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (emulator.imports() < 1 || !importStepRunning(input))) {
            Thread.sleep(20);
        }
        assertThat(importStepRunning(input)).isTrue();
    }

    private boolean importStepRunning(Path input) {
        long instance = instanceOf(input);
        return repository.findRunningJobExecutions(ImportJobConfiguration.JOB_NAME).stream()
                .filter(e -> e.getJobInstance().getInstanceId() == instance)
                // not a lambda returning an execution: the batch test listeners would take it for a factory
                .flatMap(e -> repository.getJobExecution(e.getId()).getStepExecutions().stream())
                .anyMatch(step -> step.getStepName().equals("import") && step.getStatus() == BatchStatus.STARTED);
    }

    /** Its target in japaneast: 2 calls a second, so that the run is still importing when the stop comes. */
    private Path input() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + token(i) + "\",japaneast," + KEY);
        }
        return input("stop-request", "token,region,key", lines);
    }

    private String token(int i) {
        return token(String.valueOf(i));
    }
}
