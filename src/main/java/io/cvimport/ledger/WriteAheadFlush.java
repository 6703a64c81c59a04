package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes a committed write-ahead durable before its send leaves. On PostgreSQL a commit is. An
 * H2 file repository (WRITE_DELAY 0, see {@code H2Durability}) writes a commit to its file in
 * the committing thread only when no other thread is writing at that moment (H2's commit
 * tries the store's lock and leaves the commit to the next write otherwise), so after the
 * commit of a transaction that marked a row SUBMITTING this runs {@code CHECKPOINT}, which
 * waits for the lock and returns once everything committed so far is in the file, where
 * {@code kill -9} cannot take it; a checkpoint that finds nothing unsaved writes nothing.
 * The same holds with any write delay an operator sets.
 */
final class WriteAheadFlush {

    private final JdbcTemplate jdbc;
    private volatile @Nullable Boolean h2;

    WriteAheadFlush(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The current transaction holds a write-ahead: once it commits, it is written to the file before the caller goes on. */
    void onCommit() {
        if (!isH2()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            checkpoint();
            return;
        }
        // A failure here reaches the committing caller: the send does not leave.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                checkpoint();
            }
        });
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
