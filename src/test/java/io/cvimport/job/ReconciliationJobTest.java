package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * Imports whose outcome is unknown, decided without a second import: a backend that
 * performs an import after the job stopped waiting for its answer, and a row given up as
 * stuck whose token comes back in another file. A request lives at most 200 ms + 2 x 400 ms.
 */
@TestPropertySource(properties = {
        // A context of its own: requests that live at most 200 ms + 2 x 400 ms, and a short timeout.
        "customvision.connect-timeout=200ms",
        "customvision.response-timeout=400ms",
        "import.timeout=2500ms",
        "import.in-doubt-grace=100ms" })
class ReconciliationJobTest extends JobFixture {

    static final String KEY_SLOW = "51015101510151015101510151015101";
    static final String KEY_OLD = "01d01d01d01d01d01d01d01d01d01d01";
    static final String KEY_NEW = "0e40e40e40e40e40e40e40e40e40e40e";
    static final String KEY_REVOKED = "1e71e71e71e71e71e71e71e71e71e71e";
    static final String KEY_REFUSED = "4014014014014014014014014014014f";
    static final List<String> KEYS_BEHIND = List.of("b0000000000000000000000000000001",
            "b0000000000000000000000000000002", "b0000000000000000000000000000003");

    @BeforeEach
    void defaults() {
        emulator.key(KEY_SLOW, KEY_OLD, KEY_REVOKED).linkKey(KEY_NEW, KEY_OLD).key(KEYS_BEHIND.toArray(String[]::new))
                .importDelay(Duration.ofMillis(100), Duration.ZERO);
    }

    private Path inputWithKey(String name, String key, List<String> tokens) throws IOException {
        List<String> rows = new ArrayList<>();
        tokens.forEach(t -> rows.add("\"" + t + "\",westus2," + key));
        return input(name, "token,region,key", rows);
    }

    /**
     * The backend performs each import 700 ms after its request arrived: the job stopped
     * waiting at 400 ms and its first listing comes before the project exists. Only a listing
     * after the request's whole lifetime may conclude "never performed".
     */
    @Test
    void aSlowBackendIsAdoptedNotImportedTwice() throws Exception {
        emulator.performAfter(Duration.ofMillis(700));
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tokens.add(token("late-backend-" + i));
        }

        JobExecution execution = launch(inputWithKey("late-backend", KEY_SLOW, tokens)).execution();
        // A second import sent by mistake would be performed up to 700 ms after the run ended.
        Thread.sleep(1000);

        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY_SLOW, token)).as("imports of %s", token).isEqualTo(1);
        }
        assertThat(statuses(execution)).containsOnlyKeys(1L, 2L, 3L, 4L).allSatisfy(
                (row, status) -> assertThat(status).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED));
    }

    /**
     * A key the service does not know (401 on every call), behind a gateway that answers
     * 30 % of calls 503 before any work: once its listing is refused nothing is sent with it,
     * and every row ends REJECTED with the service's code; none is left SUBMITTING.
     */
    @Test
    void aRefusedKeySendsNothingAndEveryRowEndsRejected() throws Exception {
        emulator.gateway503BeforeWork(0.3);
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            tokens.add(token("refused-key-" + i));
        }

        JobExecution execution = launch(inputWithKey("refused-key", KEY_REFUSED, tokens)).execution();

        assertThat(emulator.requestLog()).as("imports sent with the refused key")
                .noneMatch(line -> line.startsWith("POST") && line.contains("refused-key"));
        List<Outcome> outcomes = new ArrayList<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), outcomes::add);
        assertThat(outcomes).hasSize(8).allSatisfy(o -> {
            assertThat(o.status()).as("row %d", o.rowNo()).isEqualTo(RowStatus.REJECTED);
            assertThat(o.errorCode()).as("row %d", o.rowNo()).isEqualTo("401");
        });
    }

    /**
     * The service's clock is 10 s behind ours and half the answers are lost, 4 rows on each
     * of 3 targets: every lost answer is the only import of unknown outcome on its resource,
     * so each is adopted. No row IN_DOUBT, none imported twice.
     */
    @Test
    void lostAnswersUnderClockSkewAreAllAdopted() throws Exception {
        emulator.clockOffset(Duration.ofSeconds(-10)).loseAnswers(0.5);
        List<String> lines = new ArrayList<>();
        List<String[]> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            for (String key : KEYS_BEHIND) {
                String token = token("behind-" + key.charAt(31) + "-" + i);
                lines.add("\"" + token + "\",westus2," + key);
                sent.add(new String[] { key, token });
            }
        }

        JobExecution execution = launch(input("behind", "token,region,key", lines)).execution();
        Thread.sleep(1000);

        assertThat(emulator.lostAnswers()).isGreaterThanOrEqualTo(6);
        for (String[] each : sent) {
            assertThat(emulator.importsOf(each[0], each[1])).as("imports of %s", each[1]).isEqualTo(1);
        }
        assertThat(statuses(execution)).hasSize(12).allSatisfy(
                (row, status) -> assertThat(status).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED));
    }

    /**
     * Imports are sent with {@code env:CV_ROTATED_KEY} and the run gives up waiting for them
     * (TIMED_OUT); then the key is revoked and the variable set to the resource's second key.
     * The same command lets the new key show its resource (its listing holds the ledger's
     * projects) before the rows are judged, and settles them through it.
     */
    @Test
    void aKeyRotatedWhileImportsWereAwaitedSettlesThemThroughTheNewKey() throws Exception {
        emulator.slowImport(Duration.ofSeconds(4));
        variables.put("CV_ROTATED_KEY", KEY_OLD);
        List<String> tokens = List.of(token("slow-rotated-1"), token("slow-rotated-2"), token("slow-rotated-3"));
        Path input = inputWithKey("rotated", "env:CV_ROTATED_KEY", tokens);
        long started = System.currentTimeMillis();

        JobExecution first = launch(input).execution();
        assertThat(statuses(first)).hasSize(3).allSatisfy(
                (row, status) -> assertThat(status).as("row %d", row).isEqualTo(RowStatus.TIMED_OUT));

        emulator.revokeKey(KEY_OLD);
        variables.put("CV_ROTATED_KEY", KEY_NEW);
        Thread.sleep(Math.max(0, started + 4500 - System.currentTimeMillis()));
        JobExecution second = launch(input).execution();

        assertThat(statuses(second)).hasSize(3).allSatisfy(
                (row, status) -> assertThat(status).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED));
        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY_OLD, token)).as("imports of %s", token).isEqualTo(1);
        }
    }

    /**
     * An import is performed and its answer lost; then the service refuses the key. The row
     * cannot be decided with that key: it stays SUBMITTING (never sent again) and says what to
     * do, and nothing more is sent with the key.
     */
    @Test
    void aLostAnswerWhoseKeyIsThenRefusedSaysSoAndNamesTheFix() throws Exception {
        emulator.revokeOnImport(KEY_REVOKED);
        List<String> tokens = List.of(token("revoked-1"), token("revoked-2"));

        JobExecution execution = launch(inputWithKey("revoked", KEY_REVOKED, tokens)).execution();

        List<Outcome> outcomes = new ArrayList<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), outcomes::add);
        assertThat(emulator.importsOf(KEY_REVOKED, tokens.get(0))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY_REVOKED, tokens.get(1))).isZero();
        assertThat(outcomes.get(0).status()).isEqualTo(RowStatus.SUBMITTING);
        assertThat(outcomes.get(0).message()).contains("answer was lost").contains("set a working key")
                .contains("run the same command");
        assertThat(outcomes.get(1).status()).isEqualTo(RowStatus.REJECTED);
        assertThat(execution.getStatus()).isNotEqualTo(BatchStatus.COMPLETED);
    }
}
