package io.cvimport.imports;

import java.util.function.Supplier;

/**
 * The {@link LaneScheduler}'s monitor, which guards the lanes ({@link ResourceLanes}): the
 * sender and the settler change a lane's state under it, and never wait on it.
 */
interface LaneMonitor {

    /** Runs {@code action} under the monitor, then wakes whoever waits on it. */
    <T> T locked(Supplier<T> action);

    default void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    /** Takes one call from the lane's rate budget, waiting until it allows one. */
    void awaitBudget(Lane lane) throws InterruptedException;

    /** What waiting for a lane's send slot came to. */
    enum SlotTurn {
        /** The slot is this import's: it may be sent. */
        TAKEN,
        /** Another import of the lane still has an unknown outcome: hand the row back to the lane. */
        BUSY,
        /** The engine stops: nothing may be sent. */
        STOPPING
    }

    /**
     * Takes the lane's send slot for one import, waiting while another import of the lane has
     * an unknown outcome (in flight, or its answer lost and not yet decided), for
     * {@code maxWaitNanos} at most: a worker must not wait for a listing that needs a worker.
     */
    SlotTurn awaitImportSlot(Lane lane, long maxWaitNanos) throws InterruptedException;

    /** A bug or the database: the engine stops, and the step fails with it. */
    void fail(RuntimeException e);
}
