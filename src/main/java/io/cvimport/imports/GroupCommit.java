package io.cvimport.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Commits the ledger writes of several engine threads together. A thread whose write finds
 * no commit in progress takes every write queued so far, its own included, and commits them
 * in one transaction; writes that arrive meanwhile wait for the next commit. Each caller
 * returns only once its own write is committed, as if it had committed alone: what changes
 * is how many commits the repository makes. On H2 each commit writes every page it changed
 * to the file again, so at the rate of a few hundred rows a second one commit per write was
 * most of the job's CPU.
 * <p>
 * When any write of a group fails, or the group's commit does, nothing of the group happened,
 * and each write is run once more alone, in a transaction of its own that rides through an
 * outage as any single write does; only then is a failure its caller's. So one write's
 * refusal, a lock conflict with another transaction (a deadlock the group's several locks
 * made possible) or an outage of one statement costs a retry, not the run.
 */
final class GroupCommit {

    /** Runs the writes in one transaction, all or none; throws what ended it. */
    interface Transaction extends Consumer<List<? extends Runnable>> {
    }

    private final Transaction transaction;
    private List<Write> queued = new ArrayList<>();
    private boolean busy;
    private long commits;

    GroupCommit(Transaction transaction) {
        this.transaction = transaction;
    }

    /** Runs the write and returns its result once it is committed; throws what it threw. */
    boolean write(BooleanSupplier write) {
        Write mine = new Write(write);
        List<Write> batch;
        synchronized (this) {
            queued.add(mine);
            boolean interrupted = false;
            // Not given up on an interrupt: the write may be committed all the same.
            while (busy && !mine.done) {
                try {
                    wait();
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (mine.done) {
                return mine.result();
            }
            busy = true;
            batch = queued;
            queued = new ArrayList<>();
        }
        commit(batch);
        return mine.result();
    }

    /** The write again, alone: what it returns or throws is its caller's. */
    private static boolean alone(BooleanSupplier write) {
        return write.getAsBoolean();
    }

    /** Writes waiting for the next commit. */
    synchronized int queued() {
        return queued.size();
    }

    synchronized long commits() {
        return commits;
    }

    private void commit(List<Write> batch) {
        try {
            transaction.accept(batch);
            batch.forEach(write -> write.end(null));
        }
        catch (RuntimeException | Error e) {
            batch.forEach(write -> write.end(e));
        }
        finally {
            // Whatever ended the transaction, no caller waits on a write left unanswered.
            batch.forEach(write -> write.endIfOpen());
            synchronized (this) {
                commits++;
                busy = false;
                notifyAll();
            }
        }
    }

    /** One caller's write; run again when the transaction is tried again after an outage. */
    private static final class Write implements Runnable {
        private final BooleanSupplier write;
        private boolean result;
        private @Nullable Throwable failure;
        /** An Error of this write's own: its caller's alone, while the group's other writes run again. */
        private @Nullable Error error;
        private volatile boolean done;

        Write(BooleanSupplier write) {
            this.write = write;
        }

        @Override
        public void run() {
            try {
                result = write.getAsBoolean();
            }
            catch (Error e) {
                error = e;
                throw new IllegalStateException("a write of the group failed", e);
            }
        }

        void endIfOpen() {
            if (!done) {
                end(new IllegalStateException("the group's transaction ended without an answer"));
            }
        }

        void end(@Nullable Throwable failed) {
            failure = failed;
            done = true;
        }

        boolean result() {
            if (error != null) {
                throw error;
            }
            if (failure instanceof Error groupError) {
                throw groupError;
            }
            return failure == null ? result : alone(write);
        }
    }
}
