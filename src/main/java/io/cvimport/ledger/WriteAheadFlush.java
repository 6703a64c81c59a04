package io.cvimport.ledger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes committed write-aheads durable before their sends leave. On PostgreSQL a commit is.
 * An H2 file repository (WRITE_DELAY 0, see {@code H2Durability}) writes a commit to its
 * file in the committing thread only when no other thread is writing at that moment (H2's
 * commit tries the store's lock and leaves the commit to the next write otherwise), so once
 * a write-ahead has committed this runs {@code CHECKPOINT}, which waits for the lock and
 * returns once everything committed so far is in the file, where {@code kill -9} cannot take
 * it; a checkpoint that finds nothing unsaved writes nothing. The same holds with any write
 * delay an operator sets.
 * <p>
 * One checkpoint runs at a time, and the callers that committed before it began are done
 * when it ends: the others wait for it, and the first of them runs the next one for all.
 */
final class WriteAheadFlush {

    private final JdbcTemplate jdbc;
    private final ReentrantLock checkpointing = new ReentrantLock();
    /** Calls so far, each counted after the commit its caller waits for. */
    private final AtomicLong committed = new AtomicLong();
    /** How many calls had been counted when the last checkpoint began: each of those is in the file. */
    private long written;
    private long checkpoints;
    private volatile @Nullable Boolean h2;

    WriteAheadFlush(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Returns once every commit that ended before this call is in the file (H2), at once
     * elsewhere.
     *
     * @return whether the repository holds commits before its file does (H2): one lost before
     *         the checkpoint (a database reopened under the run) is then for the caller to see
     */
    boolean durable() {
        if (!isH2()) {
            return false;
        }
        long mine = committed.incrementAndGet();
        checkpointing.lock();
        try {
            if (written < mine) {
                long upTo = committed.get();
                checkpoints++;
                checkpoint();
                written = upTo;
            } // else a checkpoint that began after this caller's commit has ended
            return true;
        }
        finally {
            checkpointing.unlock();
        }
    }

    /** Whether the repository holds commits before its file does (H2), as {@link #durable} tells. */
    boolean holdsCommitsBeforeFile() {
        return isH2();
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
