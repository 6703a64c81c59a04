package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The send slot's rules, on the ledger alone: one import of unknown outcome per resource,
 * taken with the claim by the write-ahead, given back by the write that records its answer,
 * kept by a lost answer for its request's lifetime, across job instances.
 */
class ImportSlotsTest {

    private static final long LEASE = 10_000;

    private LedgerDatabase database;
    private ImportLedger ledger;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        ledger = database.ledger();
    }

    private void pending(long instance, long row, String target) {
        ledger.insert(instance, List.of(new LedgerRow(row, RowStatus.PENDING, "westus2", target, "token-" + instance
                + "-" + row, null, null, null, null)));
    }

    private Submission send(long instance, long row, long at) {
        return ledger.markSubmitting(instance, row, at, false, LEASE);
    }

    private long slots() {
        return database.jdbc().queryForObject("SELECT COUNT(*) FROM import_slot", Long.class);
    }

    @Test
    void aSecondImportIntoTheResourceWaitsWhileTheFirstsOutcomeIsUnknown() {
        pending(1, 1, "t1");
        pending(1, 2, "t1");
        pending(1, 3, "t2");

        assertThat(send(1, 1, 1000).mayBeSent()).isTrue();
        Submission second = send(1, 2, 1001);
        assertThat(second.mayBeSent()).isFalse();
        assertThat(second.slotBusy()).isTrue();
        assertThat(database.jdbc().queryForObject("SELECT status FROM import_ledger WHERE row_no = 2", String.class))
                .as("the write-ahead rolled back with its claim").isEqualTo("PENDING");
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM import_claim WHERE row_no = 2", Long.class))
                .isZero();
        assertThat(send(1, 3, 1002).mayBeSent()).as("another resource").isTrue();
    }

    @Test
    void theAnswersRecordGivesTheSlotBack() {
        for (long row = 1; row <= 4; row++) {
            pending(1, row, "t1");
        }
        pending(1, 5, "t1");

        assertThat(send(1, 1, 1000).mayBeSent()).isTrue();
        assertThat(ledger.markImporting(1, 1, null, "p-1", 1100)).isTrue();
        assertThat(send(1, 2, 1200).mayBeSent()).as("after an accepted import").isTrue();
        assertThat(ledger.backToPending(1, 2, null, "TooManyRequests", "429")).isTrue();
        assertThat(send(1, 3, 1300).mayBeSent()).as("after an import refused before any work").isTrue();
        assertThat(ledger.finish(1, 3, null, RowStatus.REJECTED, null, "BadRequest", "refused", null)).isTrue();
        assertThat(send(1, 4, 1400).mayBeSent()).as("after a rejected import").isTrue();
        assertThat(ledger.finish(1, 4, null, RowStatus.IN_DOUBT, null, "InDoubt", "two candidates", "a b")).isTrue();
        assertThat(slots()).isZero();
        assertThat(send(1, 5, 1500).mayBeSent()).as("after a row left IN_DOUBT").isTrue();
    }

    @Test
    void aLostAnswerKeepsItsResourceAgainstOtherRunsForItsRequestsLifetimeOnly() {
        pending(1, 1, "t1");
        pending(2, 1, "t1");

        assertThat(send(1, 1, 1000).mayBeSent()).isTrue();
        assertThat(ledger.markAnswerLost(1, 1, null, 1500, "ConnectionReset", "reset")).isTrue();
        assertThat(send(2, 1, 1000 + LEASE - 1).slotBusy()).as("another job instance, within the lifetime").isTrue();
        assertThat(send(2, 1, 1000 + LEASE).mayBeSent()).as("once the lifetime has passed").isTrue();
        assertThat(database.jdbc().queryForList("SELECT job_instance_id FROM import_slot", Long.class))
                .containsExactly(2L);
    }

    @Test
    void aSlotWhoseHolderIsNoLongerSubmittingIsFree() {
        pending(1, 1, "t1");
        pending(1, 2, "t1");
        assertThat(send(1, 1, 1000).mayBeSent()).isTrue();
        // The answer was recorded by a write that died before its release.
        database.jdbc().update("UPDATE import_ledger SET status = 'IMPORTING', project_id = 'p-1' WHERE row_no = 1");

        assertThat(send(1, 2, 1001).mayBeSent()).isTrue();
        assertThat(database.jdbc().queryForList("SELECT row_no FROM import_slot", Long.class)).containsExactly(2L);
    }

    @Test
    void linkedTargetsShareOneSlotAndALinkMovesIt() {
        pending(1, 1, "t1");
        pending(1, 2, "t2");
        assertThat(send(1, 1, 1000).mayBeSent()).isTrue();

        database.resources().link("t2", "t1");

        assertThat(send(1, 2, 1001).slotBusy()).as("t2 is t1's resource now").isTrue();
        assertThat(ledger.markImporting(1, 1, null, "p-1", 1100)).isTrue();
        assertThat(send(1, 2, 1200).mayBeSent()).isTrue();
    }
}
