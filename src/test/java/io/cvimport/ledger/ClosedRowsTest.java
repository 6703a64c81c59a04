package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rows that ended without a project of their own are found, and reopened or closed only from the state seen. */
class ClosedRowsTest {

    private LedgerDatabase database;
    private ClosedRows closed;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        closed = new ClosedRows(database.jdbc());
        database.ledger().insert(1, List.of(
                new LedgerRow(1, RowStatus.REJECTED, "westus2", "t1", "a", null, "Unauthorized", "key", null),
                new LedgerRow(2, RowStatus.REJECTED, "westus2", "t1", "b", null, "Unauthorized", "key", null),
                new LedgerRow(3, RowStatus.REJECTED, "westus2", "t1", "c", null, "BadRequest", "bad", null),
                new LedgerRow(4, RowStatus.IN_DOUBT, "westus2", "t1", "d", null, "InDoubt", "two", null),
                new LedgerRow(5, RowStatus.PENDING, "westus2", null, "e", null, null, null, null),
                new LedgerRow(6, RowStatus.SUCCEEDED, "westus2", "t1", "f", "p-6", null, null, null)));
        database.ledger().insert(2, List.of(
                new LedgerRow(1, RowStatus.REJECTED, "westus2", "t1", "a", null, "Other", "x", null)));
    }

    private Outcome row(long rowNo) {
        return closed.row(1, rowNo).orElseThrow();
    }

    @Test
    void rejectedRowsAreCountedByErrorCode() {
        assertThat(closed.rejectedCodes(1)).isEqualTo(Map.of("Unauthorized", 2L, "BadRequest", 1L));
        assertThat(closed.rejectedCodes(3)).isEmpty();
    }

    @Test
    void rowsInTheStatusesBetweenAreFoundInRowOrder() {
        assertThat(closed.between(1, 2, 6, EnumSet.of(RowStatus.REJECTED, RowStatus.IN_DOUBT)))
                .extracting(Outcome::rowNo).containsExactly(2L, 3L, 4L);
        assertThat(closed.row(1, 9)).isEmpty();
        assertThat(row(6).projectId()).isEqualTo("p-6");
    }

    @Test
    void aRowIsReopenedOnlyFromTheStateSeenWithItsNewTarget() {
        assertThat(closed.reopen(1, 1, RowStatus.IN_DOUBT, "t2", "key replaced")).isFalse();
        assertThat(row(1).status()).isEqualTo(RowStatus.REJECTED);

        assertThat(closed.reopen(1, 1, RowStatus.REJECTED, "t2", "key replaced")).isTrue();
        assertThat(row(1).status()).isEqualTo(RowStatus.PENDING);
        assertThat(row(1).targetFp()).isEqualTo("t2");
        assertThat(row(1).errorCode()).isNull();

        assertThat(closed.reopen(1, 2, RowStatus.REJECTED, null, "again")).isTrue();
        assertThat(row(2).targetFp()).as("kept without a new one").isEqualTo("t1");
        assertThat(closed.reopen(1, 2, RowStatus.REJECTED, null, "twice")).as("a second reopen").isFalse();
    }

    @Test
    void onlyAnInDoubtRowIsAdopted() {
        assertThat(closed.adopt(1, 1, "p-1", "operator")).isFalse();
        assertThat(closed.adopt(1, 4, "p-4", "operator")).isTrue();

        assertThat(row(4).status()).isEqualTo(RowStatus.IMPORTING);
        assertThat(row(4).projectId()).isEqualTo("p-4");
        assertThat(row(1).status()).isEqualTo(RowStatus.REJECTED);
    }

    @Test
    void aTargetIsBoundOnlyToAPendingRowWithoutOne() {
        assertThat(closed.bindTarget(1, 5, "t3")).isTrue();
        assertThat(row(5).targetFp()).isEqualTo("t3");
        assertThat(closed.bindTarget(1, 5, "t4")).as("bound already").isFalse();
        assertThat(closed.bindTarget(1, 1, "t4")).as("not pending").isFalse();
        assertThat(row(5).targetFp()).isEqualTo("t3");
    }

    @Test
    void aRowIsClosedOnlyFromTheStateSeen() {
        assertThat(closed.close(1, 5, RowStatus.REJECTED, RowStatus.DUPLICATE, null, null, "Duplicate", "dup"))
                .isFalse();
        assertThat(row(5).status()).isEqualTo(RowStatus.PENDING);

        assertThat(closed.close(1, 5, RowStatus.PENDING, RowStatus.ALREADY_IMPORTED, "t1", "p-6", "AlreadyImported",
                "earlier")).isTrue();
        Outcome outcome = row(5);
        assertThat(outcome.status()).isEqualTo(RowStatus.ALREADY_IMPORTED);
        assertThat(outcome.targetFp()).isEqualTo("t1");
        assertThat(outcome.projectId()).isEqualTo("p-6");
    }
}
