package io.cvimport.ledger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The run_lock table. Each statement commits on its own and holds no row lock beyond
 * itself, so a frozen process never stalls the others; a take-over is a compare-and-set
 * on the generation. Heartbeats are on the database's clock: hosts' clocks may disagree.
 */
public final class RunLockTable {

    /**
     * A lock's row as read now.
     *
     * @param owner        null when the last owner released it
     * @param heartbeatAge how long ago, on the database's clock, the owner last renewed it
     */
    public record Holder(long generation, @Nullable LockOwner owner, Duration heartbeatAge) {
    }

    private final JdbcTemplate jdbc;

    public RunLockTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public @Nullable Holder read(String key) {
        List<Holder> rows = jdbc.query("""
                SELECT generation, owner_host, owner_pid, owner_start, heartbeat_at, CURRENT_TIMESTAMP AS db_now
                FROM run_lock WHERE lock_key = ?
                """, (rs, i) -> {
            String host = rs.getString("owner_host");
            long start = rs.getLong("owner_start");
            Long startMillis = rs.wasNull() ? null : start;
            LockOwner owner = host == null ? null : new LockOwner(host, rs.getLong("owner_pid"), startMillis);
            Duration age = Duration.between(rs.getObject("heartbeat_at", OffsetDateTime.class),
                    rs.getObject("db_now", OffsetDateTime.class));
            return new Holder(rs.getLong("generation"), owner, age);
        }, key);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The first lock of this key, generation 1; false when another run created it first. */
    public boolean create(String key, LockOwner owner) {
        try {
            return jdbc.update("""
                    INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, owner_start, heartbeat_at)
                    VALUES (?, 1, ?, ?, ?, CURRENT_TIMESTAMP)
                    """, key, owner.host(), owner.pid(), owner.startMillis()) == 1;
        }
        catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Takes the lock with the next generation, if it is still at the one seen. */
    public boolean take(String key, long seenGeneration, LockOwner owner) {
        return jdbc.update("""
                UPDATE run_lock SET generation = ?, owner_host = ?, owner_pid = ?, owner_start = ?,
                       heartbeat_at = CURRENT_TIMESTAMP
                WHERE lock_key = ? AND generation = ?
                """, seenGeneration + 1, owner.host(), owner.pid(), owner.startMillis(), key, seenGeneration) == 1;
    }

    /** Renews the heartbeat; false when the lock is no longer at this generation (taken over). */
    public boolean beat(String key, long generation) {
        return jdbc.update("""
                UPDATE run_lock SET heartbeat_at = CURRENT_TIMESTAMP
                WHERE lock_key = ? AND generation = ? AND owner_host IS NOT NULL
                """, key, generation) == 1;
    }

    /** Leaves the lock free, keeping its generation (the next run takes the one after). */
    public void release(String key, long generation) {
        jdbc.update("""
                UPDATE run_lock SET owner_host = NULL, owner_pid = NULL, owner_start = NULL
                WHERE lock_key = ? AND generation = ?
                """, key, generation);
    }

    /** How many locks whose key starts with {@code prefix} have an owner that renewed them within {@code ttl}. */
    public int live(String prefix, Duration ttl) {
        return (int) jdbc.query("""
                SELECT heartbeat_at, CURRENT_TIMESTAMP AS db_now FROM run_lock
                WHERE lock_key LIKE ? AND owner_host IS NOT NULL
                """, (rs, i) -> Duration.between(rs.getObject("heartbeat_at", OffsetDateTime.class),
                rs.getObject("db_now", OffsetDateTime.class)), prefix + "%").stream()
                .filter(age -> age.compareTo(ttl) < 0).count();
    }

    /**
     * Ends a lock for good if it is still as seen (its generation, and its heartbeat, which a
     * holder that is alive after all renews): its holder's fencing token then matches no row,
     * so whatever that holder still tries to send is refused.
     */
    public boolean revoke(String key, long seenGeneration, OffsetDateTime seenHeartbeat) {
        return jdbc.update("DELETE FROM run_lock WHERE lock_key = ? AND generation = ? AND heartbeat_at = ?", key,
                seenGeneration, seenHeartbeat) == 1;
    }

    /** Ends a lock its holder no longer needs, and will not take again. */
    public void delete(String key, long generation) {
        jdbc.update("DELETE FROM run_lock WHERE lock_key = ? AND generation = ?", key, generation);
    }
}
