package io.cvimport.imports;

import java.util.List;

import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.TokenTarget;

/**
 * The load step's DUPLICATE and ALREADY_IMPORTED judgement, for a row that learns its
 * target later: its key variable was unset at load, or its refused key was replaced.
 */
final class TakenPairs {

    private final ImportLedger ledger;
    private final ClosedRows closed;
    private final boolean reimport;

    TakenPairs(ImportLedger ledger, ClosedRows closed, boolean reimport) {
        this.ledger = ledger;
        this.closed = closed;
        this.reimport = reimport;
    }

    /** True when another row holds this token for this target: the row is then closed as such. */
    boolean closeIfTaken(long instance, long rowNo, RowStatus from, String tokenFp, String targetFp, String why) {
        TokenTarget pair = new TokenTarget(tokenFp, targetFp);
        Long first = ledger.firstRows(instance, List.of(pair)).get(pair);
        if (first != null && first != rowNo) {
            closed.close(instance, rowNo, from, RowStatus.DUPLICATE, targetFp, null, "Duplicate",
                    why + ": same token and target as row " + first);
            return true;
        }
        Outcome elsewhere = reimport ? null : ledger.heldElsewhere(instance, List.of(pair)).get(pair);
        if (elsewhere != null) {
            closed.close(instance, rowNo, from, RowStatus.ALREADY_IMPORTED, targetFp, elsewhere.projectId(),
                    "AlreadyImported", why + ": " + (elsewhere.status() == RowStatus.SUCCEEDED
                            ? "imported by an earlier run" : "an earlier run's import of this token is "
                                    + elsewhere.status()));
            return true;
        }
        return false;
    }
}
