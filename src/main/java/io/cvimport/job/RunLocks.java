package io.cvimport.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.Fence;
import io.cvimport.ledger.LockOwner;
import io.cvimport.ledger.RunLockTable;

/**
 * One run at a time per input, across processes and machines sharing the job repository,
 * with a lock that dies with its process. Whether the last owner still lives is decided
 * by what is known for sure: on PostgreSQL, a session-level advisory lock (the server
 * drops it with the session); on H2, the owner's pid and start instant when it ran on this
 * host, and only for an owner on another host a heartbeat older than {@code import.lock-ttl}.
 * Every acquisition takes the next generation: the run's fencing token.
 */
@Component
class RunLocks {

    private static final Logger log = LoggerFactory.getLogger(RunLocks.class);
    private static final int RACES = 3;

    /** The lock, or (lock null) who holds it, for the operator. */
    record Attempt(@Nullable RunLock lock, String heldBy) {
    }

    private final DataSource dataSource;
    private final Fence fence;
    private final Duration ttl;
    private volatile @Nullable Boolean postgres;

    RunLocks(DataSource dataSource, Fence fence, RunLockProperties properties) {
        this.dataSource = dataSource;
        this.fence = fence;
        this.ttl = properties.lockTtl();
    }

    Attempt tryAcquire(String key) throws SQLException {
        LockOwner me = LockOwner.current();
        if (!isPostgres()) {
            return acquire(new RunLockTable(new JdbcTemplate(dataSource)), key, me, null);
        }
        AdvisoryLock advisory = AdvisoryLock.tryLock(dataSource, key);
        if (advisory == null) {
            RunLockTable.Holder holder = new RunLockTable(new JdbcTemplate(dataSource)).read(key);
            return new Attempt(null, "its lock is held by a live database session"
                    + (holder == null || holder.owner() == null ? "" : " of " + holder.owner()));
        }
        try {
            Attempt attempt = acquire(new RunLockTable(advisory.session()), key, me, advisory);
            if (attempt.lock() == null) {
                advisory.close();
            }
            return attempt;
        }
        catch (RuntimeException e) {
            advisory.close();
            throw e;
        }
    }

    /** Takes the lock if it is free or its owner is gone: a compare-and-set on the generation seen. */
    private Attempt acquire(RunLockTable table, String key, LockOwner me, @Nullable AdvisoryLock advisory) {
        for (int race = 0; race < RACES; race++) {
            RunLockTable.Holder holder = table.read(key);
            if (holder == null) {
                if (table.create(key, me)) {
                    return new Attempt(new RunLock(dataSource, key, 1, ttl, fence, advisory), "");
                }
                continue;
            }
            // With the advisory lock in hand, the last owner's session (so the owner) is gone.
            String busy = advisory != null ? null : whyHeld(holder, me);
            if (busy != null) {
                return new Attempt(null, busy);
            }
            if (table.take(key, holder.generation(), me)) {
                if (holder.owner() != null) {
                    log.warn("the lock of this input was held by {}, {}: taking it over", holder.owner(),
                            advisory != null ? "whose database session is gone" : "which is gone");
                }
                return new Attempt(new RunLock(dataSource, key, holder.generation() + 1, ttl, fence, advisory), "");
            }
        }
        return new Attempt(null, "another run took its lock at the same moment");
    }

    /** Why the holder still owns the lock, or null if it does not. */
    private @Nullable String whyHeld(RunLockTable.Holder holder, LockOwner me) {
        LockOwner owner = holder.owner();
        if (owner == null) {
            return null;
        }
        if (owner.sameHost(me)) {
            return owner.isRunningHere() ? "its lock is held by " + owner + ", which is running" : null;
        }
        if (holder.heartbeatAge().compareTo(ttl) < 0) {
            return "its lock is held by " + owner + ", renewed " + holder.heartbeatAge().toSeconds()
                    + " s ago; a lock of another host that is not renewed for import.lock-ttl (" + ttl.toSeconds()
                    + " s) is taken over";
        }
        return null;
    }

    private boolean isPostgres() throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            }
            postgres = known;
        }
        return known;
    }
}
