package io.cvimport.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Commits the ledger writes of several engine threads together: each write joins a queue,
 * and one committer takes every write queued so far and commits them in one transaction;
 * writes that arrive meanwhile wait for its next commit. Each caller holds a future of its
 * own write and returns only once that write is committed, as if it had committed alone:
 * what changes is how many commits the repository makes. An H2 file repository writes each
 * commit to its file at once (see {@code H2Durability}), every page it changed again, and
 * keeps what it replaced for 45 s: one commit per write was most of the job's CPU, and its
 * file grew by some 35 KB a write, a gigabyte for 10,000 rows. So a commit begins at most
 * once every {@code spacing}, and takes every write queued until then: at the pace of a
 * service's 10 calls a second per resource, a send's write-ahead and its answer each wait
 * that long at most.
 * <p>
 * A write may ask for the group's flush ({@link #durable}): once the group committed, the
 * committer runs it once for every such write of the group before answering them. A send's
 * write-ahead asks for the checkpoint that puts it in an H2 file; made by each send's own
 * thread, they were as many as the sends (8,516 for 10,000 sends, against 744 commits), each
 * writing what other threads committed meanwhile beside the committer's own writing.
 * <p>
 * When any write of a group fails, or the group's commit does, nothing of the group happened,
 * and each write is run once more alone, on its caller's thread, in a transaction of its own
 * that rides through an outage as any single write does; only then is a failure its caller's.
 * So one write's refusal, a lock conflict with another transaction (a deadlock the group's
 * several locks made possible) or an outage of one statement costs a retry, not the run.
 */
final class GroupCommit {

    /** Runs the writes in one transaction, all or none; throws what ended it. */
    interface Transaction extends Consumer<List<? extends Runnable>> {
    }

    /** A write's result, and whether the committer ran the group's flush after its commit. */
    record Committed<T>(T result, boolean flushed) {
    }

    private final Transaction transaction;
    private final Runnable flush;
    private final long spacingNanos;
    private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    /** The one committer: a thread while there are writes, none while idle. */
    private final ThreadPoolExecutor committer = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "ledger-commit");
                thread.setDaemon(true);
                return thread;
            });
    private volatile long commits;
    /** On the committer only: when its last commit began. */
    private long lastBegan;

    GroupCommit(Transaction transaction) {
        this(transaction, Duration.ZERO, () -> {
        });
    }

    /**
     * @param spacing the least time from one commit's start to the next one's
     * @param flush   run on the committer after a commit that holds a {@link #durable} write
     */
    GroupCommit(Transaction transaction, Duration spacing, Runnable flush) {
        this.transaction = transaction;
        this.flush = flush;
        this.spacingNanos = spacing.toNanos();
        this.lastBegan = System.nanoTime() - spacingNanos;
    }

    /** Runs the write and returns its result once it is committed; throws what it threw. */
    boolean write(BooleanSupplier write) {
        return Boolean.TRUE.equals(result(write::getAsBoolean));
    }

    /** Runs the write and returns its result once it is committed; throws what it threw. */
    <T> T result(Supplier<T> write) {
        return queued(new Write<>(write, false)).result();
    }

    /**
     * The same, and the group's flush after the commit; not {@code flushed} when a write of
     * the group failed (this one was then run alone) or the flush did: the caller flushes then.
     */
    <T> Committed<T> durable(Supplier<T> write) {
        Write<T> mine = queued(new Write<>(write, true));
        T result = mine.result();
        return new Committed<>(result, mine.flushed);
    }

    private <T> Write<T> queued(Write<T> write) {
        queue.add(write);
        committer.execute(this::commitQueued);
        return write;
    }

    /** Writes waiting for the next commit. */
    int queued() {
        return queue.size();
    }

    long commits() {
        return commits;
    }

    /** On the committer: every write queued so far, in one transaction (none when an earlier turn took them). */
    private void commitQueued() {
        if (queue.isEmpty()) {
            return;
        }
        awaitSpacing();
        List<Write<?>> batch = new ArrayList<>();
        queue.drainTo(batch);
        lastBegan = System.nanoTime();
        commits++; // counted before any caller is answered
        try {
            transaction.accept(batch);
            boolean flushed = flushed(batch);
            batch.forEach(write -> write.end(null, flushed));
        }
        catch (RuntimeException | Error e) {
            batch.forEach(write -> write.end(e, false));
        }
        finally {
            // Whatever ended the transaction, no caller waits on a write left unanswered.
            batch.forEach(Write::endIfOpen);
        }
    }

    /**
     * On the committer, once the group committed: its flush, when a write asked for it. One that
     * fails, even with an Error, is left to the writes' callers that asked for it, each of which
     * flushes itself then (riding through an outage, as alone, and meeting the Error again if it
     * lasts), rather than failing writes that committed.
     */
    private boolean flushed(List<Write<?>> batch) {
        if (batch.stream().noneMatch(write -> write.flushAsked)) {
            return false;
        }
        try {
            flush.run();
            return true;
        }
        catch (RuntimeException | Error e) {
            return false;
        }
    }

    /** Lets the writes that arrive meanwhile join the next commit; an interrupt only ends the wait early. */
    private void awaitSpacing() {
        long left = lastBegan + spacingNanos - System.nanoTime();
        if (left > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** One caller's write; run again, alone, when its group's transaction failed. */
    private static final class Write<T> implements Runnable {
        private final Supplier<T> write;
        private final boolean flushAsked;
        /** Whether the group's flush ran after its commit: set before the write is answered. */
        private boolean flushed;
        /** What ended the group's transaction: null when it committed. */
        private final CompletableFuture<@Nullable Throwable> committed = new CompletableFuture<>();
        private @Nullable T result;
        /** An Error of this write's own: its caller's alone, while the group's other writes run again. */
        private @Nullable Error error;

        Write(Supplier<T> write, boolean flushAsked) {
            this.write = write;
            this.flushAsked = flushAsked;
        }

        @Override
        public void run() {
            try {
                result = write.get();
            }
            catch (Error e) {
                error = e;
                throw new IllegalStateException("a write of the group failed", e);
            }
        }

        void endIfOpen() {
            committed.complete(new IllegalStateException("the group's transaction ended without an answer"));
        }

        void end(@Nullable Throwable failed, boolean flushedAfter) {
            flushed = flushedAfter && failed == null;
            committed.complete(failed);
        }

        /** This write's outcome, once its group ended; the caller's own run of it if the group failed. */
        @SuppressWarnings("NullAway") // a write's own result, as its supplier gave it
        T result() {
            Throwable failure = awaitCommit();
            if (error != null) {
                throw error;
            }
            if (failure instanceof Error groupError) {
                throw groupError;
            }
            return failure == null ? result : write.get();
        }

        /** Not given up on an interrupt: the write may be committed all the same. */
        private @Nullable Throwable awaitCommit() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return committed.get();
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                    }
                    catch (ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
