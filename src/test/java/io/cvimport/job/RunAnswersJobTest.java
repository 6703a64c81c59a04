package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * What the command answers of runs that ended or were left behind: a finished input run
 * again sends nothing and answers with the first run's exit code; past runs are listed
 * ({@code --status}) and reported again ({@code --report-of}) without running anything.
 * {@link RunAnswersPostgresJobTest} runs them on PostgreSQL.
 */
class RunAnswersJobTest extends CommandFixture {

    static final String[] KEYS = { key(RunAnswersJobTest.class, "a"), key(RunAnswersJobTest.class, "b"),
            key(RunAnswersJobTest.class, "c") };
    static final String[] REGIONS = { "westus2", "West Europe", "eastus" };

    @BeforeEach
    void keys() {
        emulator.key(KEYS).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    private Path input(String name, List<String> rows) throws Exception {
        return input(name, "token,region,key", rows);
    }

    private List<String> rows(String prefix, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add("\"" + token(prefix + i) + "\"," + REGIONS[i % 3] + "," + KEYS[i % 3]);
        }
        return rows;
    }

    @Test
    void aSecondRunImportsNothingAndExitsWithTheFirstRunsCode(CapturedOutput console) throws Exception {
        List<String> rows = rows("twice-", 6);
        rows.add("\"" + token("invalid-one") + "\",westus2," + KEYS[0]);
        Path input = input("twice", rows);

        assertThat(run(console, input)).as(output).isEqualTo(3);
        assertThat(output).contains("SUCCEEDED         6").contains("REJECTED          1").contains("exit code 3")
                .as("durations in one style").containsPattern("finished with rows that need attention in"
                        + " (\\d+ms|\\d+\\.\\ds|\\d+s|\\d+m\\d+s), 7 rows");
        long importsAfterFirst = emulator.imports();
        // The emulator refuses the invalid token before making anything.
        assertThat(importsAfterFirst).isEqualTo(6);
        long execution = execution(input);
        Files.delete(report(input));

        assertThat(run(console, input)).as(output).isEqualTo(3);
        assertThat(output).contains("nothing to do").contains("SUCCEEDED         6")
                .as("times with their zone").containsPattern("\\(finished \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+\\)")
                .as("the summary's words agree with exit code 3")
                .contains("execution " + execution + " finished with rows that need attention");
        assertThat(emulator.imports()).isEqualTo(importsAfterFirst);
        assertThat(report(input)).as("the second run writes no report").doesNotExist();
    }

    /**
     * A run left behind (as kill -9 leaves one: STARTED, its run lock free; here it still
     * awaits its imports, on a thread of this JVM) and a finished one are listed with their
     * exit codes, and reported again, without anything run.
     */
    @Test
    void pastRunsAreListedWithTheirExitCodesWithoutRunningAnything(CapturedOutput console) throws Exception {
        Path done = input("done", rows("done-", 3));
        assertThat(run(console, done)).as(output).isEqualTo(0);
        emulator.importDelay(Duration.ofSeconds(30), Duration.ZERO);
        Path left = input("killed", rows("killed-", 3));
        CompletableFuture<Run> running = launchInBackground(left);
        waitFor("the left run's imports", Duration.ofSeconds(60), () -> emulator.imports() >= 6);
        long imports = emulator.imports();
        try {
            assertThat(command(console, "--status", "--input=" + left)).isEqualTo(0);
            assertThat(output).contains("killed.csv").doesNotContain("done.csv")
                    .containsPattern("STARTED .* - +- +(submitting|importing)=");
            assertThat(command(console, "--status")).isEqualTo(0);
            long doneExecution = execution(done);
            assertThat(output).containsPattern("(?m)^" + doneExecution + " +" + instanceOf(done)
                    + " +COMPLETED .* 0 +succeeded=3 .*done.csv$")
                    .containsPattern("(?m)^" + execution(left) + " +" + instanceOf(left) + " +STARTED .* - .*killed.csv$");

            Path again = dir.resolve("again.csv");
            assertThat(command(console, "--report-of=" + doneExecution, "--report=" + again)).isEqualTo(0);
            assertThat(Files.readAllLines(again)).hasSize(4).allMatch(l -> !l.contains(KEYS[0]));
            assertThat(command(console, "--report-of=" + Long.MAX_VALUE)).isEqualTo(2);
            assertThat(emulator.imports()).as("listing ran nothing").isEqualTo(imports);
        }
        finally {
            // The run left behind ends here: stopped as --stop stops it.
            assertThat(command(console, "--stop", "--input=" + left)).isEqualTo(0);
            assertThat(running.get(120, TimeUnit.SECONDS).execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        }
    }

    private long execution(Path input) {
        return repository.getLastJobExecution(jobs.getJob().getName(), parameters(input, "")).getId();
    }
}
