package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/** Every ledger transition moves a row only from the states its caller can have seen. */
class ImportLedgerTransitionsTest {

    private static int databases;

    private JdbcTemplate jdbc;
    private final Fence fence = new Fence();
    private ImportLedger ledger;

    @BeforeEach
    void schema() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:ledger-transitions-" + (++databases) + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V3__import_ledger.sql"),
                new ClassPathResource("db/migration/V4_9__run_lock_owner.sql"),
                new ClassPathResource("db/migration/V17__target_resources_and_claims.sql"),
                new ClassPathResource("db/migration/V18__ledger_input_offset.sql"),
                new ClassPathResource("db/migration/V19__source_projects.sql"),
                new ClassPathResource("db/migration/V21__import_slot.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        ledger = new ImportLedger(jdbc, new ImportClaims(jdbc), new ImportSlots(jdbc),
                new DataSourceTransactionManager(dataSource), fence);
    }

    private void row(long rowNo, RowStatus status, String projectId) {
        ledger.insert(1, List.of(new LedgerRow(rowNo, status, "westus2", "target", "token-" + rowNo, projectId, null,
                null, null)));
    }

    private RowStatus status(long rowNo) {
        return RowStatus.valueOf(jdbc.queryForObject(
                "SELECT status FROM import_ledger WHERE job_instance_id = 1 AND row_no = ?", String.class, rowNo));
    }

    private String projectId(long rowNo) {
        return jdbc.queryForObject("SELECT project_id FROM import_ledger WHERE job_instance_id = 1 AND row_no = ?",
                String.class, rowNo);
    }

    /**
     * A holder frozen after its send (a worker whose lease the manager revoked, a run whose lock
     * was taken over) thaws and gets its answers: none of them is recorded, for each row may be
     * its successor's now (a 429 moving the successor's send back to PENDING would send it twice).
     */
    @Test
    void aHolderWhoseLockIsGoneRecordsNothingOfWhatItSent() {
        jdbc.update("INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, heartbeat_at)"
                + " VALUES ('worker/frozen', 1, 'host', 1, CURRENT_TIMESTAMP)");
        fence.hold("worker/frozen", 1);
        row(1, RowStatus.SUBMITTING, null);
        row(2, RowStatus.SUBMITTING, null);
        row(3, RowStatus.SUBMITTING, null);
        row(4, RowStatus.IMPORTING, "p-4");
        jdbc.update("DELETE FROM run_lock WHERE lock_key = 'worker/frozen'");

        assertThat(ledger.backToPending(1, 1, null, "TooManyRequests", "429")).isFalse();
        assertThat(ledger.markImporting(1, 2, null, "late-2", 1000)).isFalse();
        assertThat(ledger.markAnswerLost(1, 3, null, 1000, "ConnectionReset", "reset")).isFalse();
        assertThat(ledger.finish(1, 4, null, RowStatus.SUCCEEDED, "p-4", null, null, null)).isFalse();

        assertThat(List.of(status(1), status(2), status(3), status(4))).containsExactly(RowStatus.SUBMITTING,
                RowStatus.SUBMITTING, RowStatus.SUBMITTING, RowStatus.IMPORTING);
        assertThat(projectId(2)).isNull();
        assertThatThrownBy(() -> ledger.markSubmitting(1, 1, 2000, false, Long.MAX_VALUE)).isInstanceOf(LockLostException.class);
    }

    @Test
    void theAnswerOfASendIsNeverRecordedOverALaterSendOfTheRow() {
        row(1, RowStatus.PENDING, null);
        Submission first = ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE);
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(ledger.backToPending(1, 1, first.attempt(), "TooManyRequests", "429")).isTrue();
        Submission second = ledger.markSubmitting(1, 1, 2000, false, Long.MAX_VALUE);
        assertThat(second.attempt()).isEqualTo(2);

        // The first send's answers come late (a stale engine): none moves the row of the second.
        assertThat(ledger.markImporting(1, 1, first.attempt(), "p-late", 2100)).isFalse();
        assertThat(ledger.markAnswerLost(1, 1, first.attempt(), 2100, "ConnectionReset", "reset")).isFalse();
        assertThat(ledger.backToPending(1, 1, first.attempt(), "TooManyRequests", "429")).isFalse();
        assertThat(ledger.finish(1, 1, first.attempt(), RowStatus.REJECTED, null, "BadRequest", "late", null))
                .isFalse();
        assertThat(status(1)).isEqualTo(RowStatus.SUBMITTING);
        assertThat(ledger.markImporting(1, 1, second.attempt(), "p-2", 2200)).isTrue();
        assertThat(projectId(1)).isEqualTo("p-2");
    }

    @Test
    void anOutcomeForAnotherProjectThanTheRowsIsNotRecorded() {
        row(1, RowStatus.IMPORTING, "p-1");
        row(2, RowStatus.TIMED_OUT, "p-2");

        // A stale engine that awaited another attempt's project comes late with its outcome.
        assertThat(ledger.finish(1, 1, null, RowStatus.SUCCEEDED, "p-stale", null, null, null)).isFalse();
        assertThat(ledger.finish(1, 2, null, RowStatus.FAILED, "p-stale", null, "failed", null)).isFalse();
        assertThat(List.of(projectId(1), projectId(2))).containsExactly("p-1", "p-2");
        assertThat(ledger.finish(1, 1, null, RowStatus.SUCCEEDED, "p-1", null, null, null)).isTrue();
        assertThat(status(1)).isEqualTo(RowStatus.SUCCEEDED);
    }

    @Test
    void backToPendingOnlyFromSubmitting() {
        row(1, RowStatus.SUBMITTING, null);
        row(2, RowStatus.IMPORTING, "p-2");
        row(3, RowStatus.SUCCEEDED, "p-3");
        row(4, RowStatus.IN_DOUBT, null);

        for (long rowNo = 1; rowNo <= 4; rowNo++) {
            ledger.backToPending(1, rowNo, null, "TooManyRequests", "429");
        }

        assertThat(status(1)).isEqualTo(RowStatus.PENDING);
        assertThat(status(2)).as("an imported row never goes back to PENDING").isEqualTo(RowStatus.IMPORTING);
        assertThat(status(3)).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(status(4)).isEqualTo(RowStatus.IN_DOUBT);
    }

    @Test
    void markImportingOnlyFromSubmitting() {
        row(1, RowStatus.SUBMITTING, null);
        row(2, RowStatus.IN_DOUBT, null);
        row(3, RowStatus.PENDING, null);
        row(4, RowStatus.SUCCEEDED, "p-4");

        for (long rowNo = 1; rowNo <= 4; rowNo++) {
            ledger.markImporting(1, rowNo, null, "late-" + rowNo, 1000);
        }

        assertThat(status(1)).isEqualTo(RowStatus.IMPORTING);
        assertThat(projectId(1)).isEqualTo("late-1");
        assertThat(status(2)).isEqualTo(RowStatus.IN_DOUBT);
        assertThat(projectId(2)).isNull();
        assertThat(status(3)).isEqualTo(RowStatus.PENDING);
        assertThat(status(4)).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(projectId(4)).isEqualTo("p-4");
    }

    @Test
    void markAnswerLostOnlyOnASubmittingRow() {
        row(1, RowStatus.SUBMITTING, null);
        row(2, RowStatus.IMPORTING, "p-2");

        ledger.markAnswerLost(1, 1, null, 1000, "Timeout", "no answer");
        ledger.markAnswerLost(1, 2, null, 1000, "Timeout", "no answer");

        assertThat(jdbc.queryForObject("SELECT error_code FROM import_ledger WHERE row_no = 1", String.class))
                .isEqualTo("Timeout");
        assertThat(jdbc.queryForObject("SELECT error_code FROM import_ledger WHERE row_no = 2", String.class))
                .as("a row whose project is known is not marked lost").isNull();
    }

    @Test
    void outcomesOnlyFromTheStatesThatLeadToThem() {
        row(1, RowStatus.IMPORTING, "p-1");
        row(2, RowStatus.PENDING, null);
        row(3, RowStatus.SUCCEEDED, "p-3");
        row(4, RowStatus.SUBMITTING, null);
        row(5, RowStatus.IMPORTING, "p-5");
        row(6, RowStatus.TIMED_OUT, "p-6");

        ledger.finish(1, 1, null, RowStatus.SUCCEEDED, "p-1", null, null, null);
        ledger.finish(1, 2, null, RowStatus.SUCCEEDED, "p-2", null, null, null);
        ledger.finish(1, 3, null, RowStatus.TIMED_OUT, "p-3", null, "still Importing", null);
        ledger.finish(1, 4, null, RowStatus.TIMED_OUT, null, "InvalidRow", "no key", null);
        ledger.finish(1, 5, null, RowStatus.IN_DOUBT, null, "InDoubt", "lost", "a b");
        ledger.finish(1, 6, null, RowStatus.FAILED, "p-6", null, "project status Failed", null);

        assertThat(status(1)).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(status(2)).as("a row never sent has no project to succeed").isEqualTo(RowStatus.PENDING);
        assertThat(status(3)).as("an outcome is final").isEqualTo(RowStatus.SUCCEEDED);
        assertThat(status(4)).as("no TIMED_OUT without a project").isEqualTo(RowStatus.SUBMITTING);
        assertThat(status(5)).as("a known project is never in doubt").isEqualTo(RowStatus.IMPORTING);
        assertThat(status(6)).isEqualTo(RowStatus.FAILED);
    }

    @Test
    void markSubmittingOnlyFromPendingUnlessResendingInDoubt() {
        row(1, RowStatus.PENDING, null);
        row(2, RowStatus.IN_DOUBT, null);
        row(3, RowStatus.IMPORTING, "p-3");

        assertThat(ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
        assertThat(ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE).mayBeSent()).as("already claimed").isFalse();
        assertThat(ledger.markSubmitting(1, 2, 1000, false, Long.MAX_VALUE).mayBeSent()).isFalse();
        // Row 1's answer gives the resource's send slot back.
        assertThat(ledger.markImporting(1, 1, null, "p-1", 1001)).isTrue();
        assertThat(ledger.markSubmitting(1, 2, 1002, true, Long.MAX_VALUE).mayBeSent()).isTrue();
        assertThat(ledger.markSubmitting(1, 3, 1000, true, Long.MAX_VALUE).mayBeSent()).isFalse();
        assertThat(status(3)).isEqualTo(RowStatus.IMPORTING);
    }

    @Test
    void aClaimChecksTheRunsGenerationInTheSameStatement() {
        jdbc.update("INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, heartbeat_at)"
                + " VALUES ('input:abc', 7, 'here', 1, CURRENT_TIMESTAMP)");
        fence.hold("input:abc", 7);
        row(1, RowStatus.PENDING, null);
        row(2, RowStatus.PENDING, null);
        row(3, RowStatus.IMPORTING, "p-3");

        assertThat(ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
        assertThat(ledger.markSubmitting(1, 3, 1000, false, Long.MAX_VALUE).mayBeSent()).as("not pending, lock still ours").isFalse();

        jdbc.update("UPDATE run_lock SET generation = 8"); // another run took the lock over
        assertThatThrownBy(() -> ledger.markSubmitting(1, 2, 1000, false, Long.MAX_VALUE).mayBeSent()).isInstanceOf(LockLostException.class)
                .hasMessageContaining("lost its lock");
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);

        jdbc.update("UPDATE run_lock SET generation = 7"); // once lost, lost for this run
        assertThatThrownBy(() -> ledger.markSubmitting(1, 2, 1000, false, Long.MAX_VALUE).mayBeSent()).isInstanceOf(LockLostException.class);
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);
    }

    @Test
    void aClaimWithoutARunLockIsNotFenced() {
        row(1, RowStatus.PENDING, null);
        assertThat(ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
    }
}
