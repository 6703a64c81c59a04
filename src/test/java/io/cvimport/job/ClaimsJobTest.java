package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.job.JobRuns.Run;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * One token, one target resource, one import: across runs whose key was rotated, and across
 * inputs running at once (the same key, or two keys of one resource). Real HTTP against the
 * emulator, whose second key reaches the first key's resource.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:claims-job-test;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=20s",
        "import.in-doubt-grace=200ms",
        "import.clock-skew=20ms" })
class ClaimsJobTest {

    static final String KEY_1 = "1111111111111111111111111111111a";
    static final String KEY_2 = "2222222222222222222222222222222a";
    static final String OTHER_KEY = "3333333333333333333333333333333a";
    /** One emulator for the JVM, shared by the H2 and PostgreSQL runs of these tests. */
    static final CustomVisionEmulator emulator = JobRuns.emulator(e -> e.key(KEY_1, OTHER_KEY).linkKey(KEY_2, KEY_1));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    @BeforeEach
    void defaults(@Autowired Job importJob) {
        jobs.setJob(importJob);
        emulator.importDelay(Duration.ofMillis(300), Duration.ofMillis(200)).slowImport(Duration.ofHours(1));
    }

    String token(String name) {
        return JobRuns.token(getClass().getSimpleName(), name);
    }

    private Path input(String name, List<String> tokens, String key) throws IOException {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (String token : tokens) {
            lines.add("\"" + token(token) + "\",westus2," + key);
        }
        Path file = dir.resolve(name + ".csv");
        Files.write(file, lines);
        return file;
    }

    private static List<String> tokens(String prefix, int count) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(prefix + i);
        }
        return tokens;
    }

    private Run launch(Path input) throws Exception {
        JobParameters parameters = JobRuns.parameters(input, dir.resolve(input.getFileName() + ".report.csv").toString());
        return new Run(jobs.startJob(parameters));
    }

    /** Two runs started at the same instant, each on a thread of its own. */
    private List<JobExecution> launchTogether(Path first, Path second) throws Exception {
        CompletableFuture<Run> one = CompletableFuture.supplyAsync(() -> launchUnchecked(first));
        CompletableFuture<Run> two = CompletableFuture.supplyAsync(() -> launchUnchecked(second));
        return List.of(one.get(120, TimeUnit.SECONDS).execution(), two.get(120, TimeUnit.SECONDS).execution());
    }

    private Run launchUnchecked(Path input) {
        try {
            return launch(input);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Row outcomes of an execution by token name, from the ledger. */
    private Map<String, Outcome> outcomes(JobExecution execution, List<String> tokens) {
        Map<String, Outcome> byToken = new HashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(),
                o -> byToken.put(tokens.get((int) o.rowNo() - 1), o));
        return byToken;
    }

    @Test
    void aRotatedKeyImportsNothingAgain() throws Exception {
        List<String> tokens = tokens("rotation-", 6);
        JobExecution first = launch(input("rotation-key1", tokens, KEY_1)).execution();
        Map<String, Outcome> before = outcomes(first, tokens);
        assertThat(before.values()).extracting(Outcome::status).containsOnly(RowStatus.SUCCEEDED);

        JobExecution second = launch(input("rotation-key2", tokens, KEY_2)).execution();

        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<String, Outcome> after = outcomes(second, tokens);
        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY_1, token(token))).as("imports of " + token).isEqualTo(1);
            assertThat(after.get(token).status()).as(token).isEqualTo(RowStatus.ALREADY_IMPORTED);
            assertThat(after.get(token).projectId()).as(token).isEqualTo(before.get(token).projectId());
        }
        assertThat(after.get(tokens.get(0)).resource()).isEqualTo(before.get(tokens.get(0)).resource());
        assertThat(after.get(tokens.get(0)).targetFp()).isNotEqualTo(before.get(tokens.get(0)).targetFp());
        List<String> report = Files.readAllLines(dir.resolve("rotation-key2.csv.report.csv"));
        assertThat(report.get(0)).contains(",targetFingerprint,tokenFingerprint,resource,");
        assertThat(report.get(1).split(",")[9]).isEqualTo(before.get(tokens.get(0)).resource());
    }

    @Test
    void twoKeysOfOneResourceInOneInputImportATokenOnce() throws Exception {
        launch(input("one-input-seed", List.of("one-input-seed"), KEY_1));
        Path input = dir.resolve("one-input.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("one-input") + "\",westus2," + KEY_1,
                "\"" + token("one-input") + "\",westus2," + KEY_2));

        JobExecution execution = launch(input).execution();

        assertThat(emulator.importsOf(KEY_1, token("one-input"))).isEqualTo(1);
        List<Outcome> outcomes = new ArrayList<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), outcomes::add);
        assertThat(outcomes).extracting(Outcome::status)
                .containsExactlyInAnyOrder(RowStatus.SUCCEEDED, RowStatus.DUPLICATE);
        Outcome duplicate = outcomes.stream().filter(o -> o.status() == RowStatus.DUPLICATE).findFirst().orElseThrow();
        assertThat(duplicate.message()).matches("same token and target (resource )?as row [12]");
    }

    @Test
    void alreadyImportedIsOnlySaidOnceTheEarlierImportSucceeded() throws Exception {
        emulator.slowImport(Duration.ofSeconds(3));
        List<String> tokens = List.of("slow-then-fail");
        Path earlierInput = input("earlier", tokens, OTHER_KEY);
        Path laterInput = input("later", tokens, OTHER_KEY);
        long importsBefore = emulator.imports();
        CompletableFuture<Run> earlierRun = CompletableFuture.supplyAsync(() -> launchUnchecked(earlierInput));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (emulator.imports() == importsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // The earlier import is on its way (its project ends Failed): the later row must not take it as done.
        JobExecution later = launch(laterInput).execution();

        Outcome earlier = outcomes(earlierRun.get(120, TimeUnit.SECONDS).execution(), tokens).get(tokens.get(0));
        Outcome again = outcomes(later, tokens).get(tokens.get(0));
        assertThat(earlier.status()).isEqualTo(RowStatus.FAILED);
        assertThat(again.status()).as(again.message()).isEqualTo(RowStatus.FAILED);
        assertThat(again.projectId()).isNotNull().isNotEqualTo(earlier.projectId());
    }

    @Test
    void twoInputsWithTwoKeysOfOneResourceAtOnceImportEachTokenOnce() throws Exception {
        // The resource already holds a project this job made, so a key reaching it is recognised.
        List<String> seed = List.of("both-keys-seed");
        launch(input("both-keys-seed", seed, KEY_1));
        List<String> tokens = tokens("both-keys-", 20);
        List<String> reversed = new ArrayList<>(tokens);
        java.util.Collections.reverse(reversed);

        List<JobExecution> runs = launchTogether(input("both-keys-1", tokens, KEY_1),
                input("both-keys-2", reversed, KEY_2));

        assertExactlyOnce(tokens, runs.get(0), outcomes(runs.get(0), tokens), outcomes(runs.get(1), reversed));
    }

    @Test
    void oneTokenOneTargetFromTwoInputsAtOnceIsImportedOnce() throws Exception {
        List<String> tokens = tokens("race-", 20);
        List<String> reversed = new ArrayList<>(tokens);
        java.util.Collections.reverse(reversed);

        List<JobExecution> runs = launchTogether(input("race-a", tokens, OTHER_KEY), input("race-b", reversed,
                OTHER_KEY));

        assertExactlyOnce(tokens, runs.get(0), outcomes(runs.get(0), tokens), outcomes(runs.get(1), reversed));
        assertThat(runs.get(1).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    private void assertExactlyOnce(List<String> tokens, JobExecution first, Map<String, Outcome> one,
            Map<String, Outcome> two) {
        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        for (String token : tokens) {
            int imports = Math.max(emulator.importsOf(KEY_1, token(token)), emulator.importsOf(OTHER_KEY, token(token)));
            assertThat(imports).as("imports of " + token).isEqualTo(1);
            Outcome a = one.get(token);
            Outcome b = two.get(token);
            assertThat(List.of(a.status(), b.status())).as(token)
                    .containsExactlyInAnyOrder(RowStatus.SUCCEEDED, RowStatus.ALREADY_IMPORTED);
            assertThat(a.projectId()).as(token).isNotNull().isEqualTo(b.projectId());
        }
    }
}
