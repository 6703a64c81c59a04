package io.cvimport.imports.lanes;

import java.util.function.Supplier;

/**
 * What a worker (a sender, the settler, a claim wait, the verifier) may ask of the lanes'
 * owner ({@link LaneScheduler}): the lanes' state changes only on the owner's thread, so a
 * worker hands it the change ({@link #tell}) or the question ({@link #ask}).
 */
public interface LaneOwner {

    /** Runs {@code action} on the owner's thread and returns its answer. */
    <T> T ask(Supplier<T> action);

    /** Runs {@code action} on the owner's thread, in the order told; the worker goes on. */
    void tell(Runnable action);

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
