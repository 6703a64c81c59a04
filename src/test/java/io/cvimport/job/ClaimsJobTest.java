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
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * One token, one target resource, one import: across runs whose key was rotated, and across
 * inputs running at once (the same key, or two keys of one resource). Real HTTP against the
 * emulator, whose second key reaches the first key's resource.
 */
class ClaimsJobTest extends JobFixture {

    static final String KEY_1 = key(ClaimsJobTest.class, "1");
    /** A second key of KEY_1's resource. */
    static final String KEY_2 = key(ClaimsJobTest.class, "2");
    static final String OTHER_KEY = key(ClaimsJobTest.class, "other");

    @BeforeEach
    void defaults() {
        emulator.key(KEY_1, OTHER_KEY).linkKey(KEY_2, KEY_1).importDelay(Duration.ofMillis(300), Duration.ofMillis(200));
    }

    private Path input(String name, List<String> tokens, String key) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String token : tokens) {
            rows.add("\"" + token(token) + "\",westus2," + key);
        }
        return input(name, "token,region,key", rows);
    }

    private static List<String> tokens(String prefix, int count) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(prefix + i);
        }
        return tokens;
    }

    /** Two runs started at the same instant, each on a thread of its own. */
    private List<JobExecution> launchTogether(Path first, Path second) throws Exception {
        CompletableFuture<Run> one = launchInBackground(first);
        CompletableFuture<Run> two = launchInBackground(second);
        return List.of(one.get(120, TimeUnit.SECONDS).execution(), two.get(120, TimeUnit.SECONDS).execution());
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
        Path input = input("one-input", "token,region,key", List.of("\"" + token("one-input") + "\",westus2," + KEY_1,
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
        CompletableFuture<Run> earlierRun = launchInBackground(earlierInput);
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
