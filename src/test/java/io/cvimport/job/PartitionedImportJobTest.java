package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import io.cvimport.customvision.Fingerprint;
import io.cvimport.ledger.RowStatus;
import io.cvimport.scale.Partition;

/**
 * Issue 12: the import step split into 4 partitions by target, run on threads of one
 * process: every row imported once, each target's rows settled by the one partition that
 * holds it, the exit status and the report as without partitions; a stopped run resumes
 * only the partitions that had not completed.
 */
@TestPropertySource(properties = {
        // A context of its own: four partitions of the import step, 8 calls each. Its own
        // database too: it reads and stops the executions and steps of the repository as a whole.
        "spring.datasource.url=jdbc:h2:mem:partitioned-import-job-test;DB_CLOSE_DELAY=-1",
        "import.partitions=4",
        "import.concurrency=8",
        "import.progress-every=300ms",
        "import.timeout=120s" })
class PartitionedImportJobTest extends JobFixture {

    static final int PARTITIONS = 4;
    static final List<String> KEYS = keys();
    static final String UNKNOWN_KEY = "ffffffffffffffffffffffffffff0000";

    @BeforeEach
    void defaults() {
        emulator.key(KEYS.toArray(String[]::new)).importDelay(Duration.ofMillis(100), Duration.ofMillis(50));
        KEYS.forEach(key -> emulator.latency(key, Duration.ZERO));
    }

    /** Twelve keys of one emulator: twelve target resources. */
    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(String.format("%032x", 0xabc000L + i));
        }
        return keys;
    }

    private static String targetOf(String key) {
        return Fingerprint.of(emulator.endpoint() + "\n" + key);
    }

    private static int partitionOf(String key) {
        return Partition.of(targetOf(key), PARTITIONS);
    }

    private String token(String scope, int i) {
        return token("PartitionedImportJobTest-" + scope, String.valueOf(i));
    }

    private Path input(String name, List<String> rows) throws Exception {
        return input(name, "token,region,key,tenant", rows);
    }

    private JobParameters parameters(Path input) {
        return parameters(input, dir.resolve(input.getFileName() + ".report.csv").toString());
    }

    private static List<StepExecution> partitionSteps(JobExecution execution) {
        return execution.getStepExecutions().stream().filter(step -> step.getStepName().startsWith("import:"))
                .toList();
    }

    @Test
    void fourPartitionsImportEveryRowOnceEachTargetInOnePartitionWithTheSameExitStatusAndReport() throws Exception {
        int rows = 360;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token("all", i) + "\",westus2," + KEYS.get(i % KEYS.size()) + ",t" + i);
        }
        // Rows that need attention, as in a run without partitions: a refused token, an unknown key, a bad region.
        lines.add("\"" + token("PartitionedImportJobTest-all", "invalid-token") + "\",westus2," + KEYS.get(0)
                + ",bad-token");
        lines.add("\"" + token("all", 9999) + "\",westus2," + UNKNOWN_KEY + ",bad-key");
        lines.add("\"" + token("all", 9998) + "\",atlantis," + KEYS.get(1) + ",bad-region");
        Path input = input("partitioned", lines);

        JobExecution execution = new Run(jobs.startJob(parameters(input))).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ExitCode.ROWS_NEED_ATTENTION.word());
        Map<Long, RowStatus> statuses = statuses(execution);
        assertThat(statuses).hasSize(rows + 3);
        for (long row = 1; row <= rows; row++) {
            assertThat(statuses.get(row)).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED);
        }
        assertThat(statuses.get(rows + 1L)).isEqualTo(RowStatus.REJECTED);
        assertThat(statuses.get(rows + 2L)).isEqualTo(RowStatus.REJECTED);
        assertThat(statuses.get(rows + 3L)).isEqualTo(RowStatus.INVALID);
        for (int i = 0; i < rows; i++) {
            assertThat(emulator.importsOf(KEYS.get(i % KEYS.size()), token("all", i))).as("imports of row %d", i + 1)
                    .isEqualTo(1);
        }

        // The ledger's targets are the keys' (the test's partitioning below is the job's).
        long instance = execution.getJobInstance().getInstanceId();
        Map<String, Long> rowsByTarget = jdbc.queryForList("SELECT target_fp, COUNT(*) AS n FROM import_ledger"
                + " WHERE job_instance_id = ? AND target_fp IS NOT NULL GROUP BY target_fp", instance).stream()
                .collect(Collectors.toMap(row -> (String) row.get("TARGET_FP"),
                        row -> ((Number) row.get("N")).longValue()));
        Set<String> keyTargets = KEYS.stream().map(PartitionedImportJobTest::targetOf).collect(Collectors.toSet());
        assertThat(rowsByTarget.keySet()).containsAll(keyTargets);

        // Each partition settled exactly the rows with a project of the targets it holds: no target was worked by two.
        Map<Integer, Long> expected = new TreeMap<>();
        for (int i = 0; i < rows; i++) {
            expected.merge(partitionOf(KEYS.get(i % KEYS.size())), 1L, Long::sum);
        }
        assertThat(expected.size()).as("the 12 targets fall in several partitions").isGreaterThan(1);
        Map<Integer, Long> written = new TreeMap<>();
        for (StepExecution step : partitionSteps(execution)) {
            Partition partition = Partition.of(step.getExecutionContext());
            assertThat(step.getStepName()).isEqualTo("import:partition" + partition.number() + "of4");
            assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            if (step.getWriteCount() > 0) {
                written.put(partition.number(), step.getWriteCount());
            }
            // Its number and count, and what the step records of its calls: never a token or a key.
            String context = step.getExecutionContext().toMap().toString();
            assertThat(context).doesNotContain("sig=").doesNotContain("exports/");
            KEYS.forEach(key -> assertThat(context).doesNotContain(key));
        }
        assertThat(written).isEqualTo(expected);
        StepExecution manager = execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("import")).findFirst().orElseThrow();
        assertThat(manager.getWriteCount()).as("the partitions' counts, summed").isEqualTo(rows);

        List<String> report = Files.readAllLines(dir.resolve("partitioned.csv.report.csv"));
        assertThat(report.get(0)).isEqualTo("row,status,region,projectId,errorCode,message,candidates,"
                + "targetFingerprint,tokenFingerprint,resource,sourceRegion,sourceProject,iterations,images,tags,regions,"
                + "estimatedImportMs,verified,place,tenant");
        assertThat(report).hasSize(rows + 4);
        for (int row = 1; row <= rows; row++) {
            assertThat(report.get(row)).startsWith(row + ",SUCCEEDED,westus2,").endsWith(",t" + (row - 1));
        }
        assertThat(report.get(rows + 1)).startsWith((rows + 1) + ",REJECTED,westus2,,BadRequestInvalidImportToken,");
        assertThat(report.get(rows + 2)).contains(",401,");
        assertThat(report.get(rows + 3)).startsWith((rows + 3) + ",INVALID,");
    }

    @Test
    void aStoppedRunResumesOnlyThePartitionsThatHadNotCompleted() throws Exception {
        // The targets of one partition (the first key's: which one depends on the emulator's port) answer
        // slowly: the other partitions complete while it still works.
        int slow = partitionOf(KEYS.get(0));
        String slowStep = "import:partition" + slow + "of4";
        Set<Integer> held = new TreeSet<>();
        for (String key : KEYS) {
            held.add(partitionOf(key));
            if (partitionOf(key) == slow) {
                emulator.latency(key, Duration.ofMillis(700));
            }
        }
        assertThat(held).as("the slow partition and another hold targets").hasSizeGreaterThan(1);
        int rows = 240;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token("stop", i) + "\",westus2," + KEYS.get(i % KEYS.size()) + ",t" + i);
        }
        JobParameters parameters = parameters(input("stopped", lines));

        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new Run(jobs.startJob(parameters));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int others = held.size() - 1;
        waitFor("every partition but the slow one to complete", Duration.ofSeconds(90), () -> jdbc.queryForObject("SELECT COUNT(*) FROM"
                + " BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'import:partition%' AND STEP_NAME <> ?"
                + " AND STATUS = 'COMPLETED'", Integer.class, slowStep) == others);
        assertThat(jdbc.queryForObject("SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = ?", String.class,
                slowStep)).isEqualTo("STARTED");
        // JobOperator.stop from another process: the execution's status in the repository.
        assertThat(jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED'")).isEqualTo(1);
        JobExecution first = running.get(120, TimeUnit.SECONDS).execution();

        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        // As a stopped run without partitions: exit code 1, the same command resumes it.
        assertThat(first.getExitStatus().getExitCode()).isEqualTo("STOPPED");
        assertThat(new RunExitCodeMapper().intValue(first.getExitStatus().getExitCode()))
                .isEqualTo(ExitCode.JOB_FAILED.code());
        Map<String, BatchStatus> firstPartitions = new HashMap<>();
        partitionSteps(first).forEach(step -> firstPartitions.put(step.getStepName(), step.getStatus()));
        assertThat(firstPartitions).hasSize(held.size()).containsEntry(slowStep, BatchStatus.STOPPED);
        long instance = first.getJobInstance().getInstanceId();
        assertThat(ledger.countsByStatus(instance).getOrDefault(RowStatus.PENDING, 0L)).as("rows left").isPositive();

        KEYS.forEach(key -> emulator.latency(key, Duration.ZERO));
        JobExecution second = jobs.startJob(parameters);

        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(instance);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.getExitStatus().getExitCode()).isEqualTo(ExitCode.OK.word());
        assertThat(partitionSteps(second)).extracting(StepExecution::getStepName)
                .containsExactly(slowStep);
        assertThat(ledger.countsByStatus(instance)).containsExactly(Map.entry(RowStatus.SUCCEEDED, (long) rows));
        for (int i = 0; i < rows; i++) {
            assertThat(emulator.importsOf(KEYS.get(i % KEYS.size()), token("stop", i))).as("imports of row %d", i + 1)
                    .isEqualTo(1);
        }
    }

    @Test
    void rowsTheInputMustBeStreamedForAreHandedByThePartitionOfTheirTargetOnly() throws Exception {
        // Every call takes a second, 8 at a time per partition: the run takes far longer than the wait for its stop.
        emulator.latency(Duration.ofSeconds(1));
        int rows = 240;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token("streamed", i) + "\",westus2," + KEYS.get(i % KEYS.size()) + ",t" + i);
        }
        JobParameters parameters = parameters(input("streamed", lines));
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new Run(jobs.startJob(parameters));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor("some rows of the running job to succeed", Duration.ofSeconds(90), () -> jdbc.queryForObject("SELECT COUNT(*) FROM"
                + " import_ledger l JOIN BATCH_JOB_EXECUTION e ON e.JOB_INSTANCE_ID = l.job_instance_id"
                + " WHERE e.STATUS = 'STARTED' AND l.status = 'SUCCEEDED'", Integer.class) >= 12);
        assertThat(jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED'")).isEqualTo(1);
        JobExecution first = running.get(120, TimeUnit.SECONDS).execution();
        assertThat(first.getStatus()).isEqualTo(BatchStatus.STOPPED);
        long instance = first.getJobInstance().getInstanceId();
        // As loaded by a version before offsets: the open rows must be read by streaming the input.
        int streamed = jdbc.update("UPDATE import_ledger SET input_offset = NULL WHERE job_instance_id = ? AND status"
                + " = 'PENDING'", instance);
        assertThat(streamed).as("rows left to stream").isPositive();
        Map<Integer, Long> expected = new TreeMap<>();
        jdbc.queryForList("SELECT target_fp FROM import_ledger WHERE job_instance_id = ? AND status IN ('PENDING',"
                + " 'SUBMITTING', 'IMPORTING')", String.class, instance)
                .forEach(target -> expected.merge(Partition.of(target, PARTITIONS), 1L, Long::sum));

        emulator.latency(Duration.ZERO);
        JobExecution second = jobs.startJob(parameters);

        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ledger.countsByStatus(instance)).containsExactly(Map.entry(RowStatus.SUCCEEDED, (long) rows));
        for (int i = 0; i < rows; i++) {
            assertThat(emulator.importsOf(KEYS.get(i % KEYS.size()), token("streamed", i))).as("imports of row %d",
                    i + 1).isEqualTo(1);
        }
        Map<Integer, Long> written = new TreeMap<>();
        partitionSteps(second).stream().filter(step -> step.getWriteCount() > 0)
                .forEach(step -> written.put(Partition.of(step.getExecutionContext()).number(), step.getWriteCount()));
        assertThat(written).as("rows settled per partition, each by its target's").isEqualTo(expected);
    }

}
