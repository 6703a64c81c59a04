package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures mean "the database cannot be reached now", worth waiting for, and which do not. */
class RepositoryOutageTest {

    @Test
    void connectionFailuresAreOutages() {
        assertThat(RepositoryOutage.isOutage(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("Connection is not available, request timed out")))).isTrue();
        assertThat(RepositoryOutage.isOutage(new UncategorizedSQLException("update", "UPDATE x",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(RepositoryOutage.isOutage(new UncategorizedSQLException("update", "UPDATE x",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(RepositoryOutage.isOutage(new UncategorizedSQLException("update", "UPDATE x",
                new SQLException("could not extend file: No space left on device", "53100")))).isTrue();
        assertThat(RepositoryOutage.isOutage(new UncategorizedSQLException("update", "UPDATE x",
                new SQLException("Database is already closed", "90098", 90098)))).isTrue();
        assertThat(RepositoryOutage.isOutage(new UncategorizedSQLException("update", "UPDATE x",
                new SQLException("General error: Writing to FileChannel failed", "HY000", 50000,
                        new IllegalStateException("Writing failed", new java.io.IOException("File too large")))))).isTrue();
    }

    @Test
    void aRollbackThatFailsAfterALostConnectionIsAnOutage() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("update",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertThat(RepositoryOutage.isOutage(rollback)).isTrue();
        // After a failed commit Spring only logs the commit's exception and throws the
        // rollback's: the pool's "Connection is closed" (no SQL state) is all that is left.
        assertThat(RepositoryOutage.isOutage(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
        assertThat(RepositoryOutage.isOutage(new TransactionSystemException("JDBC commit failed",
                new SQLException("could not serialize access", "40001")))).isFalse();
    }

    @Test
    void wrongStatementsAndLostUpdatesAreNot() {
        assertThat(RepositoryOutage.isOutage(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(RepositoryOutage.isOutage(new OptimisticLockingFailureException("version changed"))).isFalse();
        assertThat(RepositoryOutage.isOutage(new RepositoryUnreachableException("gave up",
                new CannotGetJdbcConnectionException("no connection")))).isFalse();
        assertThat(RepositoryOutage.isOutage(new IllegalStateException("a bug"))).isFalse();
        assertThat(RepositoryOutage.isOutage(new IllegalArgumentException("Could not serialize the execution context",
                new java.io.IOException("no serializer")))).isFalse();
    }

    @Test
    void theMessageNamesTheDatabaseWithoutItsPassword() {
        assertThat(JdbcUrls.withoutPassword("jdbc:postgresql://db:5432/cv?user=cv&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/cv?user=cv&password=***&ssl=true");
        assertThat(JdbcUrls.withoutPassword("jdbc:h2:file:./data/cv;PASSWORD=s3cret;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:./data/cv;PASSWORD=***;AUTO_SERVER=TRUE");
        assertThat(JdbcUrls.withoutPassword("jdbc:postgresql://cv:s3cret@db:5432/cv"))
                .isEqualTo("jdbc:postgresql://cv:***@db:5432/cv");
        // A driver's message that quotes only the authority, as a start-up failure may print it.
        assertThat(JdbcUrls.withoutPassword("The connection attempt failed: cv:s3cret@db"))
                .isEqualTo("The connection attempt failed: cv:***@db");
    }
}
