package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * The whole job against the emulator over real HTTP, with an in-memory H2 job repository;
 * {@link ImportJobPostgresTest} runs the same against PostgreSQL.
 */
class ImportJobTest extends JobFixture {

    static final String KEY_A = key(ImportJobTest.class, "a");
    static final String KEY_B = key(ImportJobTest.class, "b");
    /** A key the emulator never learns: the gateway's 401. */
    static final String UNKNOWN_KEY = key(ImportJobTest.class, "unknown");

    @Autowired
    RunSummary summary;

    @BeforeEach
    void defaults() {
        emulator.key(KEY_A, KEY_B).importDelay(Duration.ofMillis(200), Duration.ofMillis(100));
    }

    private Path input(String name, List<String> rows) throws IOException {
        return input(name, "token,region,key,tenant", rows);
    }

    @Test
    void everyRowGetsItsOutcome() throws Exception {
        Path input = input("mixed", List.of(
                "\"" + token("ok-1") + "\",westus2," + KEY_A + ",t1",
                "\"" + token("ok-2") + "\",West Europe," + KEY_B + ",t2",
                "\"" + token("will-fail") + "\",westus2," + KEY_A + ",t3",
                "\"" + token("invalid-token") + "\",westus2," + KEY_A + ",t4",
                "\"" + token("ok-3") + "\",atlantis," + KEY_A + ",t5",
                "\"" + token("ok-1") + "\",westus2," + KEY_A + ",t6",
                "\"" + token("ok-4") + "\",eastus," + UNKNOWN_KEY + ",t7",
                "\"" + token("ok-5") + "\",westus2,,t8"));

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(statuses(execution)).containsExactly(
                Map.entry(1L, RowStatus.SUCCEEDED), Map.entry(2L, RowStatus.SUCCEEDED),
                Map.entry(3L, RowStatus.FAILED), Map.entry(4L, RowStatus.REJECTED),
                Map.entry(5L, RowStatus.INVALID), Map.entry(6L, RowStatus.DUPLICATE),
                Map.entry(7L, RowStatus.REJECTED), Map.entry(8L, RowStatus.INVALID));
        assertThat(emulator.importsOf(KEY_A, token("ok-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY_B, token("ok-2"))).isEqualTo(1);

        List<String> report = Files.readAllLines(dir.resolve("mixed.csv.report.csv"));
        assertThat(report.get(0)).isEqualTo(
                "row,status,region,projectId,errorCode,message,candidates,targetFingerprint,tokenFingerprint,resource"
                        + ",sourceRegion,sourceProject,iterations,images,tags,regions,estimatedImportMs,verified,place,tenant");
        assertThat(report).hasSize(9);
        assertThat(report.get(4)).startsWith("4,REJECTED,westus2,,BadRequestInvalidImportToken,").endsWith(",t4");
        assertThat(report.get(7)).contains(",401,");
        assertThat(String.join("\n", report)).doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain("sig=");
    }

    @Test
    void awkwardAndMalformedRowsEachGetTheirOutcome() throws Exception {
        Path file = dir.resolve("awkward.csv");
        String expired = token("expired").replace("se=2099-01-01", "se=2020-01-01");
        try (var out = Files.newOutputStream(file)) {
            out.write(("\uFEFF Region , KEY,Note,TOKEN\r\n"
                    + " westus2 , " + KEY_A + " ,\"quoted, with comma\",\"" + token("awk-ok-1") + "\"\r\n"
                    + "\r\n"
                    + "West Europe," + KEY_B + ",\"multi\nline \"\"note\"\"\",\"" + token("awk-ok-2") + "\"\n"
                    + "westus2," + KEY_A + ",missing token field\n"
                    + "westus2," + KEY_A + ",surplus,\"" + token("awk-surplus") + "\",extra\n"
                    + "westus2," + KEY_A + ",empty token,\n"
                    + "evil.example/x?," + KEY_A + ",crafted region,\"" + token("awk-crafted") + "\"\n"
                    + "westus2,env:CV_NOT_SET_ANYWHERE,unset env,\"" + token("awk-env") + "\"\n"
                    + "westus2," + KEY_A + ",long,\"" + "x".repeat(70_000) + "\"\n"
                    + "westus2," + KEY_A + ",same as row 1,\"" + token("awk-ok-1") + "\"\n"
                    + "westus2," + KEY_A + ",expired,\"" + expired + "\"\n"
                    + "westus2," + KEY_A + ",fine again,\"" + token("awk-fine") + "\"\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] { 'w', 'e', 's', 't', 'u', 's', '2', ',' });
            out.write(KEY_A.getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] { ',', 'c', 'a', 'f', (byte) 0xE9, ',', 't', '\n' });
        }
        JobExecution execution = launch(file).execution();

        Map<Long, String> outcomes = new LinkedHashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(),
                o -> outcomes.put(o.rowNo(), o.status() + (o.message() == null ? "" : ": " + o.message())));
        assertThat(outcomes).containsExactly(
                Map.entry(1L, "SUCCEEDED"),
                Map.entry(2L, "SUCCEEDED"),
                Map.entry(3L, "INVALID: missing field: 3 fields where the header has 4"),
                Map.entry(4L, "INVALID: surplus field: 5 fields where the header has 4"),
                Map.entry(5L, "INVALID: empty token"),
                Map.entry(6L, "INVALID: unknown region"),
                Map.entry(7L, "PENDING: environment variable CV_NOT_SET_ANYWHERE is not set"),
                Map.entry(8L, "INVALID: field too long: TOKEN has 70000 characters (at most 65536)"),
                Map.entry(9L, "DUPLICATE: same token and target as row 1"),
                Map.entry(10L, "REJECTED: the export token expired at 2020-01-01T00:00:00Z"),
                Map.entry(11L, "SUCCEEDED"),
                Map.entry(12L, "INVALID: bytes that are not UTF-8"));
        List<String> report = Files.readAllLines(dir.resolve("awkward.csv.report.csv"));
        assertThat(report.get(0)).endsWith(",Note");
        assertThat(report.get(1)).endsWith(",\"quoted, with comma\"");
    }

    @Test
    void aTokenImportedByAnEarlierRunIsNotImportedAgain() throws Exception {
        JobExecution first = launch(input("first", List.of("\"" + token("shared") + "\",westus2," + KEY_A + ",x"))).execution();
        assertThat(statuses(first)).containsValue(RowStatus.SUCCEEDED);

        JobExecution second = launch(input("second", List.of(
                "\"" + token("shared") + "\",westus2," + KEY_A + ",x",
                "\"" + token("shared") + "\",westus2," + KEY_B + ",other target"))).execution();

        assertThat(statuses(second)).containsExactly(Map.entry(1L, RowStatus.ALREADY_IMPORTED),
                Map.entry(2L, RowStatus.SUCCEEDED));
        assertThat(emulator.importsOf(KEY_A, token("shared"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY_B, token("shared"))).isEqualTo(1);
    }

    @Test
    void throttlingIsHonouredAndNothingIsImportedTwice() throws Exception {
        emulator.ratePerSecond(5);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add("\"" + token("throttled-" + i) + "\",westus2," + KEY_A + ",t");
        }
        JobExecution execution = launch(input("throttled", rows)).execution();

        assertThat(statuses(execution).values()).containsOnly(RowStatus.SUCCEEDED);
        assertThat(emulator.throttled()).isPositive();
        for (int i = 0; i < 30; i++) {
            assertThat(emulator.importsOf(KEY_A, token("throttled-" + i))).isEqualTo(1);
        }
    }

    @Test
    void lostAnswersAreReconciledNotResent() throws Exception {
        emulator.loseAnswers(0.3);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add("\"" + token("lossy-" + i) + "\"," + (i % 2 == 0 ? "westus2," + KEY_A : "westeurope," + KEY_B)
                    + ",t");
        }
        long lostBefore = emulator.lostAnswers();
        JobExecution execution = launch(input("lossy", rows)).execution();

        assertThat(emulator.lostAnswers() - lostBefore).isPositive();
        for (int i = 0; i < 40; i++) {
            assertThat(emulator.importsOf(i % 2 == 0 ? KEY_A : KEY_B, token("lossy-" + i))).as("imports of row " + (i + 1))
                    .isEqualTo(1);
        }
        // One import of unknown outcome per resource: each lost answer is the only candidate for the
        // project made in its request's lifetime, and is adopted. Nothing is left IN_DOUBT.
        Map<Long, RowStatus> outcomes = statuses(execution);
        assertThat(outcomes.values()).hasSize(40).allMatch(status -> status == RowStatus.SUCCEEDED);
    }

    /**
     * A gateway answers 15 % of imports 503 after the service performed them: each is
     * reconciled from the project list (the only import of unknown outcome on its resource)
     * and never sent twice. Every row SUCCEEDED with exactly the project its token made, none
     * IN_DOUBT, and the run exits 0. (Over https, and with the answer broken off at the TLS
     * layer, in WireFailuresIT.)
     */
    @Test
    void anImportPerformedThenAnswered503IsReconciledNeverSentTwice() throws Exception {
        emulator.importDelay(Duration.ofMillis(300), Duration.ofMillis(300)).answer503AfterWork(0.15);
        String[] keys = { KEY_A, KEY_B };
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            rows.add("\"" + token("gateway-" + i) + "\",westus2," + keys[i % 2] + ",t");
        }

        JobExecution execution = launch(input("gateway", rows)).execution();

        assertThat(emulator.lostAnswers()).as("503s after the work").isPositive();
        List<Outcome> outcomes = new ArrayList<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), outcomes::add);
        assertThat(outcomes).hasSize(80);
        for (Outcome outcome : outcomes) {
            int i = (int) outcome.rowNo() - 1;
            List<String> made = emulator.projectIdsOf(keys[i % 2], token("gateway-" + i));
            assertThat(made).as("projects made by row %d", i + 1).hasSize(1);
            assertThat(outcome.status()).as("row %d", i + 1).isEqualTo(RowStatus.SUCCEEDED);
            assertThat(outcome.projectId()).as("row %d", i + 1).isEqualTo(made.get(0));
        }
        assertThat(summary.exitCodeOf(execution, summary.counts(execution), false)).isEqualTo(ExitCode.OK);
    }
}
