package io.cvimport.imports.feed;

import org.jspecify.annotations.Nullable;

import io.cvimport.imports.engine.ImportEngine;

/** A row to send that found the engine's window full at the end of a round: the next round hands it first. */
final class WaitingRow {

    private @Nullable HandedRow row;

    /** Keeps the row for the next round. */
    void keep(HandedRow waiting) {
        row = waiting;
    }

    /** Hands the row kept, if any: false when the window stayed full until {@code untilNanos} (it is kept). */
    boolean handedFirst(ImportEngine engine, long untilNanos) throws InterruptedException {
        HandedRow first = row;
        if (first == null) {
            return true;
        }
        if (!first.handTo(engine, untilNanos)) {
            return false;
        }
        row = null;
        return true;
    }
}
