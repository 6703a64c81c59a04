package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import io.cvimport.customvision.Fingerprint;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.imports.step.ImportTasklet;
import io.cvimport.scale.Partition;
import io.cvimport.imports.step.RunningImports;

/**
 * Issue 28: the import tasklet's stop is its step execution's. Two partitions of one input
 * run in this JVM, each as its own execution of the import tasklet's step, over real HTTP:
 * a stop meant for one (as {@code JobOperator.stop} gives it, {@code stop(StepExecution)})
 * leaves the other importing, and a stop of every import of the process (a signal, the
 * worker's end, its lost lease) is not cleared by a partition that starts after it.
 */
@TestPropertySource(properties = { "import.partitions=2", "import.concurrency=4", "import.progress-every=300ms",
        "import.timeout=60s" }) // two partitions in one JVM, each with its own lane of two targets
class PartitionStopJobTest extends JobFixture {

    static final List<String> KEYS = java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> key(PartitionStopJobTest.class, "target-" + i)).toList();
    static final int ROWS = 40;

    @Autowired
    ImportTasklet importTasklet;

    @Autowired
    RunningImports runningImports;

    @BeforeEach
    void defaults() {
        emulator.key(KEYS.toArray(String[]::new));
        emulator.ratePerSecond(Integer.MAX_VALUE).importDelay(Duration.ofMillis(100), Duration.ofMillis(50))
                .loseAnswers(0).slowImport(Duration.ofHours(1)).latency(Duration.ZERO);
    }

    /** A partition of two: its number, the key of its one target, its rows' tokens. */
    private record Half(int number, String key, List<String> tokens) {

        int imported() {
            return (int) tokens.stream().filter(token -> emulator.importsOf(key, token) > 0).count();
        }
    }

    /** The two partitions' step executions of one input's ledger, loaded and open. */
    private record Partitions(Half slow, StepExecution slowStep, Half other, StepExecution otherStep) {
    }

    @Test
    void aStopForOnePartitionLeavesTheOtherImporting() throws Exception {
        Partitions partitions = load("one");
        CompletableFuture<Void> slow = run(partitions.slowStep());
        CompletableFuture<Void> other = run(partitions.otherStep());
        waitFor("both partitions to import", Duration.ofSeconds(30), () -> partitions.slow().imported() >= 2
                && partitions.other().imported() >= 1);

        stopThroughBatch(partitions.slowStep());

        slow.get(30, TimeUnit.SECONDS);
        other.get(60, TimeUnit.SECONDS);
        assertThat(partitions.slow().imported()).as("rows the stopped partition imported").isLessThan(ROWS);
        assertThat(partitions.other().imported()).as("rows the other partition imported").isEqualTo(ROWS);
    }

    @Test
    // A process's stop is for good: no import of this context may start after it.
    @DirtiesContext
    void aStopOfEveryImportOfTheProcessIsNotClearedByAPartitionThatStartsAfterIt() throws Exception {
        Partitions partitions = load("all");
        CompletableFuture<Void> slow = run(partitions.slowStep());
        waitFor("the first partition to import", Duration.ofSeconds(30), () -> partitions.slow().imported() >= 2);

        runningImports.stopAll();
        CompletableFuture<Void> other = run(partitions.otherStep());

        slow.get(30, TimeUnit.SECONDS);
        other.get(30, TimeUnit.SECONDS);
        assertThat(partitions.slow().imported()).as("rows the first partition imported").isLessThan(ROWS);
        assertThat(partitions.other().imported()).as("rows the partition started after the stop imported")
                .isZero();
    }

    /**
     * Loads an input of two targets, one per partition, the first slow to answer, and makes
     * each partition's step execution as the partitioned import step does.
     */
    private Partitions load(String scope) throws Exception {
        assertThat(KEYS.stream().map(PartitionStopJobTest::partitionOf).distinct().count())
                .as("the keys' targets fall in both partitions").isEqualTo(2);
        String slowKey = KEYS.stream().filter(key -> partitionOf(key) == 0).findFirst().orElseThrow();
        String otherKey = KEYS.stream().filter(key -> partitionOf(key) == 1).findFirst().orElseThrow();
        emulator.latency(slowKey, Duration.ofMillis(500)).latency(otherKey, Duration.ofMillis(250));
        Half slowHalf = new Half(0, slowKey, tokens(scope + "-slow"));
        Half otherHalf = new Half(1, otherKey, tokens(scope + "-other"));
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + slowHalf.tokens().get(i) + "\",westus2," + slowKey);
            lines.add("\"" + otherHalf.tokens().get(i) + "\",westus2," + otherKey);
        }
        Path input = dir.resolve(scope + ".csv");
        Files.write(input, lines);
        JobParameters parameters = parameters(input, dir.resolve(scope + ".report.csv").toString());
        JobExecution loaded = jobs.startStep("load", parameters, new ExecutionContext());
        assertThat(loaded.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        JobParameters partitioned = new JobParametersBuilder(parameters)
                .addLong(LedgerKey.PARAMETER, LedgerKey.of(loaded)).toJobParameters();
        JobInstance instance = repository.createJobInstance("partition-stop-" + scope, partitioned);
        JobExecution execution = repository.createJobExecution(instance, partitioned, new ExecutionContext());
        execution.setStartTime(LocalDateTime.now());
        execution.setStatus(BatchStatus.STARTED);
        repository.update(execution);
        List<StepExecution> steps = new ArrayList<>();
        for (Half half : List.of(slowHalf, otherHalf)) {
            StepExecution step = repository.createStepExecution("import:partition" + half.number() + "of2",
                    execution);
            new Partition(half.number(), 2).writeTo(step.getExecutionContext());
            repository.updateExecutionContext(step);
            steps.add(step);
        }
        return new Partitions(slowHalf, steps.get(0), otherHalf, steps.get(1));
    }

    /** The step a partition runs on a thread of the partitioned step: the import tasklet's. */
    private CompletableFuture<Void> run(StepExecution execution) {
        Step step = new StepBuilder("importPartition", repository)
                .tasklet(importTasklet, new ResourcelessTransactionManager())
                .build();
        return CompletableFuture.runAsync(() -> {
            try {
                step.execute(execution);
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** As Spring Batch's JobOperator stops a running tasklet step: in the step's context, with its execution. */
    private void stopThroughBatch(StepExecution execution) {
        StepSynchronizationManager.register(execution);
        try {
            importTasklet.stop(execution);
        }
        finally {
            StepSynchronizationManager.release();
        }
    }

    private static List<String> tokens(String scope) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            tokens.add(token("PartitionStopJobTest-" + scope, String.valueOf(i)));
        }
        return tokens;
    }

    private static int partitionOf(String key) {
        return Partition.of(Fingerprint.of(emulator.endpoint() + "\n" + key), 2);
    }

}
