package io.cvimport.imports.lanes;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.TargetResource;
import io.cvimport.customvision.SourceProject;

/**
 * An import to send: the token lives only here, in memory, until it is sent.
 *
 * @param target          the row's own target: its key and endpoint send it
 * @param token           the row's token; empty for a row that names its source project
 * @param heldSinceMillis when it first found its claim held by another run's row, else 0
 * @param source          the project to export just before the import leaves, for a row that names one
 * @param afterSlot         a source row that waited for the lane's send slot in vain: it is exported
 *                          only once the slot is free, not ahead of the lane's imports
 */
public record Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis,
        @Nullable SourceProject source, boolean afterSlot) {

    public Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis,
            @Nullable SourceProject source) {
        this(target, rowNo, token, attempts, heldSinceMillis, source, false);
    }

    public Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis) {
        this(target, rowNo, token, attempts, heldSinceMillis, null);
    }

    /** The same row, to send again later. */
    public Send again(int attempts, long heldSinceMillis) {
        return new Send(target, rowNo, token, attempts, heldSinceMillis, source, afterSlot);
    }

    /** The same row, to export only once its lane's send slot is free. */
    public Send untilSlotFree() {
        return new Send(target, rowNo, token, attempts, heldSinceMillis, source, true);
    }

    @Override
    public String toString() {
        return "row " + rowNo + " to " + target; // never the token
    }
}
