package io.cvimport.imports.feed;

import java.util.List;

import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.TakenPair;
import io.cvimport.ledger.TokenTarget;

/**
 * The load step's DUPLICATE and ALREADY_IMPORTED judgement, for a row that learns its
 * target later: its key variable was unset at load, or its refused key was replaced.
 */
public final class TakenPairs {

    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final ClosedRows closed;
    private final boolean reimport;

    public TakenPairs(ImportLedger ledger, ResourceLinks resources, ClosedRows closed, boolean reimport) {
        this.ledger = ledger;
        this.resources = resources;
        this.closed = closed;
        this.reimport = reimport;
    }

    /**
     * True when another row of this input holds this token for this target's resource, or an
     * earlier run's import of it there succeeded: the row is then closed as such. An import
     * still on its way elsewhere is left to the claims, when the row is sent.
     */
    public boolean closeIfTaken(long instance, long rowNo, RowStatus from, String tokenFp, String targetFp, String why) {
        TokenTarget pair = new TokenTarget(tokenFp, resources.resourceOf(targetFp));
        Long first = ledger.firstRows(instance, List.of(pair)).get(pair);
        Outcome earlier = reimport ? null : ledger.succeededElsewhere(instance, List.of(pair)).get(pair);
        TakenPair taken = TakenPair.of(rowNo, first, earlier, false);
        if (taken == null) {
            return false;
        }
        closed.close(instance, rowNo, from, taken.status(), targetFp, taken.projectId(), taken.code(),
                why + ": " + taken.message());
        return true;
    }
}
