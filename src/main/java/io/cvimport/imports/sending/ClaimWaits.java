package io.cvimport.imports.sending;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.ledger.ClaimHolder;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.lanes.ResourceLanes;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.Send;
import io.cvimport.imports.ImportProperties;

/**
 * Rows whose claim (token and target resource) another row holds: they end as that row's
 * outcome allows, or wait for it, up to {@code import.timeout}; then they stay pending for
 * the next run.
 */
public final class ClaimWaits {

    private static final Logger log = LoggerFactory.getLogger(ClaimWaits.class);

    private final RowRecorder rows;
    private final long instance;
    private final ImportProperties properties;
    private final CallCounts counts;
    private final LaneOwner owner;
    private final ResourceLanes lanes;
    private final Clocks clocks;

    public ClaimWaits(CallContext context, long instance) {
        this.rows = context.rows();
        this.clocks = context.clocks();
        this.instance = instance;
        this.properties = context.properties();
        this.counts = context.counts();
        this.owner = context.owner();
        this.lanes = context.lanes();
    }

    /** The row could not take its claim: {@code holder} has it. */
    void held(Lane lane, Send send, ClaimHolder holder) {
        long rowNo = send.rowNo();
        String holderName = "row " + holder.rowNo() + " of job instance " + holder.instance();
        switch (ClaimConflict.of(holder, instance, properties.reimport())) {
            case DUPLICATE -> rows.duplicate(rowNo, "same token and target resource as row " + holder.rowNo());
            case ALREADY_IMPORTED -> rows.alreadyImported(rowNo, holder.projectId(),
                    "imported by an earlier run (" + holderName + ")");
            case IN_DOUBT -> rows.inDoubt(rowNo, "the import of the same token into this resource by " + holderName
                    + " is IN_DOUBT; resolve that row first", null);
            case SEND_AGAIN -> {
                rows.releaseClaim(holder.instance(), holder.rowNo());
                owner.tell(() -> lanes.queue(lane, send, true));
            }
            case STUCK -> rows.stuckElsewhere(rowNo, String.valueOf(holder.projectId()), "not sent: " + holderName
                    + " imported this token into this resource and its project was given up as stuck Importing;"
                    + " it may still succeed (import.reimport=true sends the token again)");
            case WAIT -> waitFor(lane, send, holder, holderName);
        }
    }

    /**
     * The row's resource's send slot is held by another run's or worker's import that the
     * service may still perform: the row waits (looked at again with the rows waiting on
     * claims) until that request's lifetime is over, up to {@code import.timeout}; then it
     * stays pending for the next run.
     */
    void slotBusy(Lane lane, Send send) {
        if (waitedPastTimeout(send)) {
            rows.notSent(send.rowNo(), "SlotBusy", "not sent: another run's imports into this resource kept its"
                    + " send slot for import.timeout; the next run sends it");
            counts.unsent();
            return;
        }
        if (send.heldSinceMillis() == 0) {
            log.info("row {} waits: another run's import into {} may still be performed", send.rowNo(), lane);
        }
        holdAgain(lane, send, properties.pollInterval());
    }

    /** Looks again at the claims of the lane's rows that were waiting: it costs no call. */
    public void recheck(Lane lane) {
        List<Send> waiting = owner.ask(() -> lanes.takeHeld(lane));
        try {
            recheck(lane, waiting);
        }
        catch (RuntimeException e) {
            owner.fail(e);
        }
        finally {
            long next = clocks.nanos() + properties.maxPollInterval().toNanos();
            owner.tell(() -> lane.heldChecked(next));
        }
    }

    private void recheck(Lane lane, List<Send> waiting) {
        for (Send send : waiting) {
            ClaimHolder holder = rows.claimHolder(send.rowNo());
            if (holder == null) {
                owner.tell(() -> lanes.queue(lane, send, true));
            }
            else {
                held(lane, send, holder);
            }
        }
    }

    private void waitFor(Lane lane, Send send, ClaimHolder holder, String holderName) {
        if (waitedPastTimeout(send)) {
            rows.backToPending(send.rowNo(), "ClaimHeld", holderName + " holds the import of the same"
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
        holdAgain(lane, send, properties.maxPollInterval());
    }

    /** The row has waited on another row (its claim, or its resource's send slot) longer than import.timeout. */
    private boolean waitedPastTimeout(Send send) {
        return send.heldSinceMillis() != 0 && clocks.millis() - send.heldSinceMillis() > properties.timeout().toMillis();
    }

    /** The row waits among the lane's held rows, looked at again after {@code recheck}; its wait counts from its first. */
    private void holdAgain(Lane lane, Send send, Duration recheck) {
        long since = send.heldSinceMillis() == 0 ? clocks.millis() : send.heldSinceMillis();
        Send waiting = send.again(send.attempts(), since);
        long checkAt = clocks.nanos() + recheck.toNanos();
        owner.tell(() -> lanes.hold(lane, waiting, checkAt));
    }
}
