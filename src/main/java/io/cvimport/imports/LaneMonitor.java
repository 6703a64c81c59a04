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

    /**
     * Takes the lane's send slot for one import, waiting while another import of the lane has
     * an unknown outcome (in flight, or its answer lost and not yet decided).
     *
     * @return false when the engine stops meanwhile: nothing may be sent
     */
    boolean awaitImportSlot(Lane lane) throws InterruptedException;

    /** A bug or the database: the engine stops, and the step fails with it. */
    void fail(RuntimeException e);
}
