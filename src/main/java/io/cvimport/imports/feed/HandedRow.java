package io.cvimport.imports.feed;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.OpenRow;
import io.cvimport.imports.engine.ImportEngine;

/**
 * An open row read from the input and found to be the one the ledger recorded, with its
 * target, and its source project when it names one instead of a token.
 */
record HandedRow(OpenRow row, InputRow input, TargetResource target, @Nullable SourceProject source) {

    /**
     * The row to hand when the input holds the row the ledger recorded; otherwise null, and
     * why it is left alone (its key variable unset, or the row changed) is noted in {@code leftAlone}.
     */
    static @Nullable HandedRow checked(RowJudge judge, TargetIdentities identities, OpenRow row, @Nullable InputRow read,
            RowsLeftAlone leftAlone) {
        RowCheck.Result check = RowCheck.check(judge, identities, row, read);
        if (check instanceof RowCheck.Usable usable && read != null) {
            return new HandedRow(row, read, usable.target(), usable.source());
        }
        if (check instanceof RowCheck.KeyUnavailable unavailable) {
            leftAlone.keyUnavailable(unavailable.variable());
        }
        else if (check instanceof RowCheck.Changed changed) {
            leftAlone.changed(row.rowNo(), changed.why());
        }
        return null;
    }

    /**
     * Gives the row to the engine by its state: to send, to reconcile, or to await.
     *
     * @return false when it is to send and the engine's window stayed full until {@code untilNanos}
     */
    boolean handTo(ImportEngine engine, long untilNanos) throws InterruptedException {
        switch (row.status()) {
            case PENDING -> {
                return engine.send(target, row.rowNo(), input.token(), source, untilNanos);
            }
            case SUBMITTING -> engine.reconcile(target, row.rowNo(), input.token(), source,
                    row.sentAt() == null ? 0 : row.sentAt());
            case IMPORTING, TIMED_OUT -> engine.await(target, row.rowNo(), String.valueOf(row.projectId()),
                    row.sentAt() == null ? 0 : row.sentAt(), source != null);
            default -> throw new IllegalStateException("row " + row.rowNo() + " is not open: " + row.status());
        }
        return true;
    }

    @Override
    public String toString() {
        return "HandedRow[" + row.rowNo() + "]";
    }
}
