package io.cvimport.job;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A PostgreSQL session-level advisory lock, on a connection held for the run: the server
 * releases it when the session ends, however the process ended. Whoever holds it is alive
 * (or its session would be gone); whoever gets it knows the last holder is not.
 */
final class AdvisoryLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);

    private final Connection connection;
    private final long key;
    private final JdbcTemplate jdbc;

    private AdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
        this.jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
    }

    /** @return the lock, or null while another session holds it */
    static @Nullable AdvisoryLock tryLock(DataSource dataSource, String name) throws SQLException {
        long key = keyOf(name);
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            Boolean locked = new JdbcTemplate(new SingleConnectionDataSource(connection, true))
                    .queryForObject("SELECT pg_try_advisory_lock(?)", Boolean.class, key);
            if (Boolean.TRUE.equals(locked)) {
                return new AdvisoryLock(connection, key);
            }
        }
        catch (RuntimeException | SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return null;
    }

    /** Statements on the lock's own session: they fail when the session (and so the lock) is gone. */
    JdbcTemplate session() {
        return jdbc;
    }

    @Override
    public void close() {
        try {
            // The connection goes back to a pool, where the session (and a lock in it) lives on.
            jdbc.queryForObject("SELECT pg_advisory_unlock(?)", Boolean.class, key);
        }
        catch (RuntimeException e) {
            log.debug("advisory lock not released (its session is gone with it): {}", e.toString());
        }
        try {
            connection.close();
        }
        catch (SQLException e) {
            log.debug("closing the lock's connection: {}", e.toString());
        }
    }

    /** A stable 64-bit key per lock name (advisory locks are numbered). */
    static long keyOf(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("customvision-import:" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
