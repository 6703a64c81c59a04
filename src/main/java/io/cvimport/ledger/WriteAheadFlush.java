package io.cvimport.ledger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes a committed write-ahead durable before its send leaves; it is the only record that
 * {@code kill -9} must not take, as everything else the ledger holds can be learned again
 * from the target's project list (that is what reconciliation does). On PostgreSQL a commit
 * is durable. An H2 file repository keeps its commits in memory and writes them to the file
 * in the background (H2's {@code WRITE_DELAY}, half a second unless the operator set another),
 * so after the commit of a transaction that marked a row SUBMITTING this runs
 * {@code CHECKPOINT}, which returns once everything committed so far is in the file. H2's
 * file is a log of whole changed pages that it keeps for 45 s: a checkpoint per send made it
 * grow by some 35 KB a send (a gigabyte for 10,000 rows), so the checkpoints are shared.
 * <p>
 * One checkpoint runs at a time, at most one every {@link #SPACING}: the sends that commit
 * meanwhile wait and are written by the next one, which begins after their commits. What a
 * crash leaves is a prefix of the commits (H2 writes them in order), so every commit before
 * a send's write-ahead, and the write-ahead itself, is in the file before the send leaves.
 */
final class WriteAheadFlush {

    /** 25 checkpoints a second at most: about a megabyte a second of H2's file, whatever the pace of sends. */
    static final Duration SPACING = Duration.ofMillis(40);

    private final JdbcTemplate jdbc;
    private final long spacingNanos;
    /** One checkpoint at a time; the others wait for it, and most find their commit in it. */
    private final ReentrantLock checkpointing = new ReentrantLock();
    /** Write-aheads committed so far, each counted once it has committed. */
    private final AtomicLong committed = new AtomicLong();
    /** How many write-aheads had committed when the last checkpoint began: each of those is in the file. */
    private long written;
    private long lastBegan;
    private long checkpoints;
    private volatile @Nullable Boolean h2;

    WriteAheadFlush(JdbcTemplate jdbc) {
        this(jdbc, SPACING);
    }

    WriteAheadFlush(JdbcTemplate jdbc, Duration spacing) {
        this.jdbc = jdbc;
        this.spacingNanos = spacing.toNanos();
        this.lastBegan = System.nanoTime() - spacingNanos;
    }

    /** The current transaction holds a write-ahead: once it commits, it is written to the file before the caller goes on. */
    void onCommit() {
        if (!isH2()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            durable();
            return;
        }
        // A failure here reaches the committing caller: the send does not leave.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                durable();
            }
        });
    }

    /** The checkpoints run so far. */
    long checkpoints() {
        checkpointing.lock();
        try {
            return checkpoints;
        }
        finally {
            checkpointing.unlock();
        }
    }

    /**
     * Returns once a checkpoint that began after this thread's commit has ended. The caller
     * checkpoints on its own connection (still its transaction's, right after the commit), so
     * no caller waits for a connection of the pool that the waiting callers hold.
     */
    private void durable() {
        long mine = committed.incrementAndGet();
        checkpointing.lock();
        try {
            if (written >= mine) {
                return; // a checkpoint that began after this commit has ended
            }
            boolean interrupted = awaitSpacing();
            long upTo = committed.get();
            lastBegan = System.nanoTime();
            checkpoints++;
            checkpoint();
            written = upTo;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        finally {
            checkpointing.unlock();
        }
    }

    /**
     * Lets the sends committing meanwhile join this checkpoint. An interrupt ends the wait, not
     * the checkpoint, and is kept for after it (H2's file must not see it). Returns whether one came.
     */
    private boolean awaitSpacing() {
        long left = lastBegan + spacingNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
            return false;
        }
        catch (InterruptedException e) {
            return true;
        }
    }

    /** Not named flush: TransactionSynchronization has a flush of its own. */
    private void checkpoint() {
        jdbc.execute("CHECKPOINT");
    }

    private boolean isH2() {
        Boolean known = h2;
        if (known == null) {
            known = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> "H2".equals(
                    connection.getMetaData().getDatabaseProductName())));
            h2 = known;
        }
        return known;
    }
}
