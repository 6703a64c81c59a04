package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes a committed write-ahead durable before its send leaves. On PostgreSQL a commit is;
 * an H2 file repository writes commits to its file in the background, within its
 * {@code WRITE_DELAY} (see {@code H2Durability}), so after the commit of a transaction that
 * marked a row SUBMITTING this runs {@code CHECKPOINT}: H2 writes everything committed so
 * far (the write-ahead and every write before it, in order) and returns once it is in the
 * file, where {@code kill -9} cannot take it. Threads that checkpoint at the same time share
 * one write: H2 stores under one lock, and a checkpoint that finds nothing unsaved writes
 * nothing. Every other write may be lost to a {@code kill -9} within the delay, which is as
 * if the run had been killed that much earlier: reconciliation learns it again.
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
