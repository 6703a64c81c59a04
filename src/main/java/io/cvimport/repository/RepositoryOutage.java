package io.cvimport.repository;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Rides through a short outage of the job repository's database: a call that fails
 * because the database cannot be reached waits and is tried again, until
 * {@code import.repository-outage-tolerance} has passed since the outage began; then
 * this and every later call fail with {@link RepositoryUnreachableException}.
 * <p>
 * Each call commits in a transaction of its own, on a connection of its own (a connection
 * that a step's thread holds on to would stay dead after the outage). A call that joins
 * a transaction already open (a load chunk's) is not retried: its connection is gone with
 * that transaction, and only the transaction's owner can start it again.
 */
@Component
public class RepositoryOutage {

    private static final Logger log = LoggerFactory.getLogger(RepositoryOutage.class);
    private static final long PAUSE_MILLIS = 1000;
    /** H2's codes for a database that cannot write or was closed under us (disk full, file read-only). */
    private static final Set<Integer> H2_UNREACHABLE = Set.of(90028, 90031, 90067, 90097, 90098, 90100, 90121);

    /** How long a run that gave the repository up may take to end before the process is halted. */
    private static final Duration HALT_GRACE = Duration.ofSeconds(30);
    private static volatile boolean haltWhenStuck;
    private final DataSource dataSource;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate anyTransaction;
    private final Duration tolerance;
    private final String url;
    private final AtomicLong outageSince = new AtomicLong();
    private final AtomicBoolean gaveUp = new AtomicBoolean();

    RepositoryOutage(DataSource dataSource, PlatformTransactionManager transactionManager,
            RepositoryOutageProperties properties) {
        this.dataSource = dataSource;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.anyTransaction = new TransactionTemplate(transactionManager);
        anyTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        this.tolerance = properties.repositoryOutageTolerance();
        this.url = dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                ? JdbcUrls.withoutPassword(hikari.getJdbcUrl()) : "the job repository";
    }

    /** Rides through an outage with a call that commits in a transaction of its own (unless it joins one). */
    public <T> @Nullable T rideThrough(Supplier<T> call) {
        return rideThrough(ownTransaction, call);
    }

    /** Rides through an outage with a call that opens transactions itself (Spring Batch's JobRepository). */
    public <T> @Nullable T rideThroughSelfTransacted(Supplier<T> call) {
        return rideThrough(anyTransaction, call);
    }

    private <T> @Nullable T rideThrough(TransactionTemplate transaction, Supplier<T> call) {
        while (true) {
            if (gaveUp.get()) {
                throw new RepositoryUnreachableException(message(), new IllegalStateException("gave up earlier"));
            }
            AtomicBoolean joined = new AtomicBoolean();
            try {
                T result = transaction.execute(status -> {
                    joined.set(status.hasTransaction() && !status.isNewTransaction());
                    return call.get();
                });
                back();
                return result;
            }
            catch (RuntimeException e) {
                if (joined.get() || !isOutage(e)) {
                    throw e;
                }
                pauseOrGiveUp(e);
            }
        }
    }

    /** True once the run gave up waiting: nothing more can be recorded in this run. */
    public boolean gaveUp() {
        return gaveUp.get();
    }

    public String message() {
        return "the job repository was unreachable for more than " + tolerance.toSeconds() + " s: " + url
                + "; re-run the same command once it is back";
    }

    private void pauseOrGiveUp(RuntimeException e) {
        long now = System.nanoTime();
        if (outageSince.compareAndSet(0, now)) {
            log.warn("the job repository is unreachable ({}); the run pauses for up to {} s", rootMessage(e),
                    tolerance.toSeconds());
        }
        evictPooledConnections();
        long since = outageSince.get();
        long left = tolerance.toNanos() - (now - (since == 0 ? now : since));
        if (left <= 0) {
            if (gaveUp.compareAndSet(false, true)) {
                log.error(message());
                if (haltWhenStuck) {
                    haltIfStillRunningAfter(HALT_GRACE);
                }
            }
            throw new RepositoryUnreachableException(message(), e);
        }
        try {
            Thread.sleep(Math.min(PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * The process (not a test's context) ends even when a call to the database that is gone
     * never returns (H2 has been seen to hang after a full disk): a cron job must not hang.
     * Exiting is safe at any instant: the ledger is built for {@code kill -9}.
     */
    public static void haltWhenStuck() {
        haltWhenStuck = true;
    }

    private void haltIfStillRunningAfter(Duration grace) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            }
            catch (InterruptedException e) {
                return;
            }
            log.error("the run has not ended {} s after the job repository was given up (a call to the database"
                    + " does not return); exiting with 1", grace.toSeconds());
            System.err.println("customvision-import: " + message());
            Runtime.getRuntime().halt(1);
        }, "repository-gone-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void back() {
        long since = outageSince.get();
        if (since != 0 && writesReachTheFile() && outageSince.compareAndSet(since, 0)) {
            log.info("the job repository is back after {} ms; the run carries on",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        }
    }

    /**
     * Whether the repository takes writes again, not only commits. H2 can end a commit without
     * writing it to its file (it leaves the write to the next commit when another thread is
     * writing), so a commit that succeeded after a full disk does not prove the disk has room:
     * there the outage ends with a checkpoint that reached the file. On PostgreSQL the commit
     * that succeeded was one.
     */
    private boolean writesReachTheFile() {
        if (!url.startsWith("jdbc:h2:")) {
            return true;
        }
        try {
            new JdbcTemplate(dataSource).execute("CHECKPOINT");
            return true;
        }
        catch (RuntimeException e) {
            // Not back yet, whatever the failure: the call itself committed, and is not failed for it.
            return false;
        }
    }

    /** Connections opened before the outage are dead: the pool replaces them rather than lending them again. */
    private void evictPooledConnections() {
        if (dataSource instanceof HikariDataSource hikari) {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            if (pool != null) {
                pool.softEvictConnections();
            }
        }
    }

    /** Whether the failure says that the database cannot be reached now (rather than that a statement is wrong). */
    public static boolean isOutage(Throwable failure) {
        boolean beneathSql = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RepositoryUnreachableException || cause instanceof OptimisticLockingFailureException) {
                return false;
            }
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
                return true;
            }
            // Beneath a database failure, an I/O failure is the disk or the network: H2 says "General error".
            if (beneathSql && cause instanceof IOException || cause instanceof SQLException sql && unreachable(sql)) {
                return true;
            }
            beneathSql |= cause instanceof SQLException;
            // The rollback after a lost connection fails too, and hides the failure that tells.
            if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isOutage(rollback.getApplicationException())) {
                return true;
            }
            // A commit or rollback the driver refused with no reason the translator knows: the
            // connection is gone (a failed commit's own exception is only logged, then).
            if (cause instanceof TransactionSystemException ended && ended.getCause() instanceof SQLException sql
                    && sql.getSQLState() == null) {
                return true;
            }
        }
        return false;
    }

    private static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exception; 57P0x: the server shuts down or restarts; 53: out of resources (disk full).
        return state != null && (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53"))
                || H2_UNREACHABLE.contains(e.getErrorCode());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
