package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The claim on a token and resource: taken with SUBMITTING, given up with a move back to
 * PENDING, REJECTED or FAILED, kept while a project exists or may exist; and the fence that
 * every write checks.
 */
class ImportClaimsTest {

    private LedgerDatabase database;
    private final Fence fence = new Fence();
    private ImportLedger ledger;
    private ImportClaims claims;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        claims = new ImportClaims(database.jdbc());
        ledger = new ImportLedger(database.jdbc(), claims, new ImportSlots(database.jdbc()),
                new DataSourceTransactionManager(database.dataSource()), fence);
    }

    private void row(long rowNo, String token) {
        ledger.insert(1, List.of(new LedgerRow(rowNo, RowStatus.PENDING, "westus2", "t-" + token, token, null, null, null,
                null)));
    }

    private long claimsOf(long rowNo) {
        return database.jdbc().queryForObject("SELECT COUNT(*) FROM import_claim WHERE row_no = ?", Long.class, rowNo);
    }

    private RowStatus status(long rowNo) {
        return RowStatus.valueOf(database.jdbc().queryForObject("SELECT status FROM import_ledger WHERE row_no = ?",
                String.class, rowNo));
    }

    private void sent(long rowNo) {
        assertThat(ledger.markSubmitting(1, rowNo, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
    }

    @Test
    void aClaimIsTakenOncePerTokenAndResourceAndAgainByItsOwnHolder() {
        row(1, "tok");
        row(2, "tok");

        assertThat(claims.take(1, 1, 1000)).isTrue();
        assertThat(claimsOf(1)).isEqualTo(1);
        assertThat(claims.take(1, 1, 1001)).as("its holder again").isTrue();
        assertThat(claims.take(1, 2, 1002)).as("another row, same token and resource").isFalse();
        assertThat(claimsOf(2)).isZero();
    }

    @Test
    void aRowWithoutTokenOrNotInTheLedgerNeedsNoClaim() {
        ledger.insert(1, List.of(new LedgerRow(1, RowStatus.PENDING, "westus2", "t1", null, null, null, null, null)));

        assertThat(claims.take(1, 1, 1000)).isTrue();
        assertThat(claims.take(1, 9, 1000)).isTrue();
        assertThat(claimsOf(1)).isZero();
        assertThat(claims.holderFor(1, 1)).isNull();
    }

    @Test
    void theHolderOfAClaimIsNamedWithItsStateAndProject() {
        row(1, "tok");
        row(2, "tok");
        assertThat(ledger.claimHolder(1, 2)).as("nobody holds it yet").isNull();
        sent(1);
        ledger.markImporting(1, 1, null, "p-1", 1100);

        assertThat(ledger.claimHolder(1, 2)).isEqualTo(new ClaimHolder(1, 1, RowStatus.IMPORTING, "p-1"));
    }

    @Test
    void aRowWhoseClaimAnotherHoldsStaysPendingAndIsToldWhoHoldsIt() {
        row(1, "tok");
        row(2, "tok");
        sent(1);

        Submission second = ledger.markSubmitting(1, 2, 1100, false, Long.MAX_VALUE);

        assertThat(second.mayBeSent()).isFalse();
        assertThat(second.heldBy()).isEqualTo(new ClaimHolder(1, 1, RowStatus.SUBMITTING, null));
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);
    }

    @Test
    void aRowNoLongerPendingIsNotPendingEvenThoughItHoldsItsClaim() {
        row(1, "tok");
        sent(1);
        ledger.markImporting(1, 1, null, "p-1", 1100);

        assertThat(ledger.markSubmitting(1, 1, 1200, false, Long.MAX_VALUE)).isEqualTo(Submission.NOT_PENDING);
    }

    @Test
    void theClaimIsReleasedByABackToPendingARejectionAndAFailure() {
        row(1, "a");
        row(2, "b");
        row(3, "c");
        sent(1);
        sent(2);
        sent(3);
        ledger.markImporting(1, 3, null, "p-3", 1100);

        assertThat(ledger.backToPending(1, 1, null, "TooManyRequests", "429")).isTrue();
        assertThat(ledger.finish(1, 2, null, RowStatus.REJECTED, null, "BadRequest", "no", null)).isTrue();
        assertThat(ledger.finish(1, 3, null, RowStatus.FAILED, "p-3", "Failed", "failed", null)).isTrue();

        assertThat(claimsOf(1) + claimsOf(2) + claimsOf(3)).isZero();
    }

    @Test
    void theClaimIsKeptByAnInDoubtRowAndBySuccess() {
        row(1, "a");
        row(2, "b");
        sent(1);
        sent(2);
        ledger.markImporting(1, 2, null, "p-2", 1100);

        assertThat(ledger.finish(1, 1, null, RowStatus.IN_DOUBT, null, "InDoubt", "two candidates", "x y")).isTrue();
        assertThat(ledger.finish(1, 2, null, RowStatus.SUCCEEDED, "p-2", null, null, null)).isTrue();

        assertThat(claimsOf(1)).isEqualTo(1);
        assertThat(claimsOf(2)).isEqualTo(1);
    }

    @Test
    void anOutcomeThatDoesNotMoveTheRowKeepsItsClaim() {
        row(1, "a");
        sent(1);
        ledger.markImporting(1, 1, null, "p-1", 1100);

        assertThat(ledger.finish(1, 1, null, RowStatus.REJECTED, null, "BadRequest", "late", null)).isFalse();
        assertThat(ledger.backToPending(1, 1, null, "TooManyRequests", "late")).isFalse();

        assertThat(status(1)).isEqualTo(RowStatus.IMPORTING);
        assertThat(claimsOf(1)).isEqualTo(1);
    }

    @Test
    void aReleasedClaimLetsTheTokenBeImportedAgain() {
        row(1, "tok");
        row(2, "tok");
        sent(1);
        ledger.markImporting(1, 1, null, "p-1", 1100);
        ledger.finish(1, 1, null, RowStatus.SUCCEEDED, "p-1", null, null, null);

        ledger.releaseClaim(1, 1);

        assertThat(claimsOf(1)).isZero();
        assertThat(ledger.markSubmitting(1, 2, 1200, false, Long.MAX_VALUE).mayBeSent()).isTrue();
    }

    @Test
    void withoutALockTheFenceIsNotChecked() {
        ledger.checkFence();
        row(1, "a");
        sent(1);
    }

    @Test
    void aRunStillAtItsGenerationPassesTheFenceAndOneTakenOverIsStoppedForGood() {
        RunLockTable locks = new RunLockTable(database.jdbc());
        locks.create("input:x", new LockOwner("h", 1, null));
        fence.hold("input:x", 1);
        ledger.checkFence();
        row(1, "a");
        row(2, "b");
        sent(1);

        locks.take("input:x", 1, new LockOwner("h", 2, null));

        assertThatThrownBy(ledger::checkFence).isInstanceOf(LockLostException.class);
        assertThat(fence.isLost()).isTrue();
        assertThatThrownBy(() -> ledger.markSubmitting(1, 2, 1100, false, Long.MAX_VALUE)).isInstanceOf(LockLostException.class);
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);
        assertThat(ledger.markImporting(1, 1, null, "p-1", 1200)).as("a fenced write moves nothing").isFalse();
        assertThat(status(1)).isEqualTo(RowStatus.SUBMITTING);
    }

    @Test
    void aSlotIsFreeForARowWithoutResourceAndStaysWithItsHolder() {
        ImportSlots slots = new ImportSlots(database.jdbc());
        row(1, "a");

        assertThat(slots.take(1, 9, 1000, 10_000)).as("no such row").isTrue();
        assertThat(slots.take(1, 1, 1000, 10_000)).isTrue();
        assertThat(slots.take(1, 1, 1001, 10_000)).as("its holder again").isTrue();
    }
}
