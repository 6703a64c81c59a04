package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import com.zaxxer.hikari.HikariDataSource;

import io.cvimport.ledger.Fence;
import io.cvimport.support.Postgres;

/**
 * The PostgreSQL run lock: an advisory lock on a session of its own. When that session
 * dies (a database restart, a network cut), the run takes its lock again and carries on
 * if nobody took it over meanwhile; otherwise it has lost it.
 */
class RunLockPostgresTest {

    private static final String KEY = "input:pg";
    private static final String ADVISORY = " WHERE locktype = 'advisory' AND granted"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Postgres.url("run_lock_test"));
        dataSource.setUsername("postgres");
        dataSource.setPassword("postgres");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V4_9__run_lock_owner.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("DELETE FROM run_lock");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    /** Ends the session that holds the advisory lock, as a database restart would. */
    private void cutTheLocksSession() {
        assertThat(jdbc.queryForObject("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks"
                + ADVISORY, Long.class)).isEqualTo(1);
    }

    /** pg_terminate_backend only signals the session: its locks go when it has ended. */
    private void awaitTheLocksSessionGone() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (advisoryLocksHeld() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private long advisoryLocksHeld() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM pg_locks" + ADVISORY, Long.class);
    }

    @Test
    void aLiveSessionRefusesTheNextRunAndAClosedOneDoesNot() throws Exception {
        RunLocks locks = new RunLocks(dataSource, new Fence(), new RunLockProperties(Duration.ofSeconds(20)));
        RunLocks.Attempt first = locks.tryAcquire(KEY);
        assertThat(first.lock()).isNotNull();
        assertThat(locks.tryAcquire(KEY).heldBy()).contains("live database session");
        cutTheLocksSession(); // the process died: its session with it
        awaitTheLocksSessionGone();
        RunLocks.Attempt next = locks.tryAcquire(KEY);
        assertThat(next.lock()).as(next.heldBy()).isNotNull();
        assertThat(next.lock().generation()).isEqualTo(2);
        next.lock().close();
        assertThat(advisoryLocksHeld()).isZero();
    }

    @Test
    void aRunWhoseSessionDiedTakesItsLockAgainWhenNobodyTookItOver() throws Exception {
        Fence fence = new Fence();
        RunLocks.Attempt attempt = new RunLocks(dataSource, fence, new RunLockProperties(Duration.ofMillis(300))).tryAcquire(KEY);
        AtomicBoolean lost = new AtomicBoolean();
        try (RunLock lock = attempt.lock()) {
            lock.holdWhile(() -> {
                cutTheLocksSession();
                awaitTheLocksSessionGone();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (advisoryLocksHeld() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                return null;
            }, () -> lost.set(true));
        }
        assertThat(lost).isFalse();
        assertThat(jdbc.queryForObject("SELECT generation FROM run_lock", Long.class)).isEqualTo(1);
    }

    @Test
    void aRunWhoseSessionDiedAndWhoseLockWasTakenOverHasLostIt() throws Exception {
        Fence fence = new Fence();
        RunLocks.Attempt attempt = new RunLocks(dataSource, fence, new RunLockProperties(Duration.ofSeconds(3))).tryAcquire(KEY);
        AtomicBoolean lost = new AtomicBoolean();
        RunLocks other = new RunLocks(dataSource, new Fence(), new RunLockProperties(Duration.ofSeconds(3)));
        try (RunLock lock = attempt.lock()) {
            RunLock taken = lock.holdWhile(() -> {
                cutTheLocksSession();
                awaitTheLocksSessionGone();
                RunLock next = other.tryAcquire(KEY).lock(); // before the owner's next renewal, a second away
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!lost.get() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                return next;
            }, () -> lost.set(true));
            assertThat(taken).isNotNull();
            assertThat(taken.generation()).isEqualTo(2);
            taken.close();
        }
        assertThat(lost).isTrue();
    }
}
