package io.cvimport.imports;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * Rows whose claim (token and target resource) another row holds: they end as that row's
 * outcome allows, or wait for it, up to {@code import.timeout}; then they stay pending for
 * the next run.
 */
final class ClaimWaits {

    private static final Logger log = LoggerFactory.getLogger(ClaimWaits.class);

    /** The engine's side: both under its monitor. */
    interface Queues {
        void requeue(Lane lane, Lane.Send send);

        void hold(Lane lane, Lane.Send send);
    }

    private final ImportLedger ledger;
    private final long instance;
    private final ImportProperties properties;
    private final CallCounts counts;
    private final Queues queues;

    ClaimWaits(ImportLedger ledger, long instance, ImportProperties properties, CallCounts counts, Queues queues) {
        this.ledger = ledger;
        this.instance = instance;
        this.properties = properties;
        this.counts = counts;
        this.queues = queues;
    }

    /** The row could not take its claim: {@code holder} has it. */
    void held(Lane lane, Lane.Send send, ClaimHolder holder) {
        long rowNo = send.rowNo();
        String holderName = "row " + holder.rowNo() + " of job instance " + holder.instance();
        switch (ClaimConflict.of(holder, instance, properties.reimport())) {
            case DUPLICATE -> ledger.finish(instance, rowNo, RowStatus.DUPLICATE, null, "Duplicate",
                    "same token and target resource as row " + holder.rowNo(), null);
            case ALREADY_IMPORTED -> ledger.finish(instance, rowNo, RowStatus.ALREADY_IMPORTED, holder.projectId(),
                    "AlreadyImported", "imported by an earlier run (" + holderName + ")", null);
            case IN_DOUBT -> ledger.finish(instance, rowNo, RowStatus.IN_DOUBT, null, "InDoubt", "the import of the"
                    + " same token into this resource by " + holderName + " is IN_DOUBT; resolve that row first", null);
            case SEND_AGAIN -> {
                ledger.releaseClaim(holder.instance(), holder.rowNo());
                queues.requeue(lane, send);
            }
            case WAIT -> waitFor(lane, send, holder, holderName);
        }
    }

    /** Looks again at the claims of rows that were waiting. */
    void recheck(Lane lane, List<Lane.Send> waiting) {
        for (Lane.Send send : waiting) {
            ClaimHolder holder = ledger.claimHolder(instance, send.rowNo());
            if (holder == null) {
                queues.requeue(lane, send);
            }
            else {
                held(lane, send, holder);
            }
        }
    }

    private void waitFor(Lane lane, Lane.Send send, ClaimHolder holder, String holderName) {
        long now = System.currentTimeMillis();
        long since = send.heldSinceMillis() == 0 ? now : send.heldSinceMillis();
        if (now - since > properties.timeout().toMillis()) {
            ledger.backToPending(instance, send.rowNo(), "ClaimHeld", holderName + " holds the import of the same"
                    + " token into this resource and is still " + holder.status() + "; the next run looks again");
            counts.unsent();
            log.warn("row {}: {} still holds the same token's import into {}; left pending", send.rowNo(), holderName,
                    lane);
            return;
        }
        if (send.heldSinceMillis() == 0) {
            log.info("row {} waits: {} is importing the same token into {} ({})", send.rowNo(), holderName, lane,
                    holder.status());
        }
        queues.hold(lane, new Lane.Send(send.target(), send.rowNo(), send.token(), send.attempts(), since));
    }
}
