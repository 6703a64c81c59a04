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

    private final Transaction transaction;
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
        this(transaction, Duration.ZERO);
    }

    /** @param spacing the least time from one commit's start to the next one's */
    GroupCommit(Transaction transaction, Duration spacing) {
        this.transaction = transaction;
        this.spacingNanos = spacing.toNanos();
        this.lastBegan = System.nanoTime() - spacingNanos;
    }

    /** Runs the write and returns its result once it is committed; throws what it threw. */
    boolean write(BooleanSupplier write) {
        return Boolean.TRUE.equals(result(write::getAsBoolean));
    }

    /** Runs the write and returns its result once it is committed; throws what it threw. */
    <T> T result(Supplier<T> write) {
        Write<T> mine = new Write<>(write);
        queue.add(mine);
        committer.execute(this::commitQueued);
        return mine.result();
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
            batch.forEach(write -> write.end(null));
        }
        catch (RuntimeException | Error e) {
            batch.forEach(write -> write.end(e));
        }
        finally {
            // Whatever ended the transaction, no caller waits on a write left unanswered.
            batch.forEach(Write::endIfOpen);
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
        /** What ended the group's transaction: null when it committed. */
        private final CompletableFuture<@Nullable Throwable> committed = new CompletableFuture<>();
        private @Nullable T result;
        /** An Error of this write's own: its caller's alone, while the group's other writes run again. */
        private @Nullable Error error;

        Write(Supplier<T> write) {
            this.write = write;
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

        void end(@Nullable Throwable failed) {
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
