package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import io.cvimport.ledger.Fence;
import io.cvimport.ledger.LockOwner;
import io.cvimport.ledger.RunLockTable;

/** Who may take an input's lock on H2: decided by the owner's liveness, not by a time to live. */
class RunLocksTest {

    private static final String KEY = "input:0123";
    private static int databases;

    private JdbcTemplate jdbc;
    private RunLocks locks;
    private final LockOwner me = LockOwner.current();

    @BeforeEach
    void schema() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:run-locks-" + (++databases) + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V4_9__run_lock_owner.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        locks = new RunLocks(dataSource, new Fence(), new RunLockProperties(Duration.ofSeconds(20)));
    }

    private void heldBy(String host, long pid, Long start, Duration heartbeatAge) {
        jdbc.update("INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, owner_start, heartbeat_at)"
                + " VALUES (?, 5, ?, ?, ?, DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP))", KEY, host, pid, start,
                -heartbeatAge.toMillis());
    }

    private long generation() {
        return jdbc.queryForObject("SELECT generation FROM run_lock WHERE lock_key = ?", Long.class, KEY);
    }

    @Test
    void theFirstRunCreatesTheLockAndReleasesItAtTheEnd() throws Exception {
        RunLocks.Attempt attempt = locks.tryAcquire(KEY);
        assertThat(attempt.lock()).isNotNull();
        assertThat(attempt.lock().generation()).isEqualTo(1);
        assertThat(locks.tryAcquire(KEY).heldBy()).contains("which is running");
        attempt.lock().close();

        RunLocks.Attempt next = locks.tryAcquire(KEY);
        assertThat(next.lock()).isNotNull();
        assertThat(next.lock().generation()).isEqualTo(2);
        next.lock().close();
    }

    @Test
    void aDeadOwnerOnThisHostIsTakenOverAtOnceWhateverItsHeartbeat() throws Exception {
        // Alive while its start instant is read (a process that already ended has none), then gone.
        Process gone = new ProcessBuilder("sleep", "60").start();
        long start = gone.info().startInstant().orElseThrow().toEpochMilli();
        gone.destroyForcibly();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        heldBy(me.host(), gone.pid(), start, Duration.ZERO);

        RunLocks.Attempt attempt = locks.tryAcquire(KEY);
        assertThat(attempt.lock()).as(attempt.heldBy()).isNotNull();
        assertThat(attempt.lock().generation()).isEqualTo(6);
        assertThat(generation()).isEqualTo(6);
        attempt.lock().close();
    }

    @Test
    void aPidReusedByAnotherProcessIsNotTheOwner() throws Exception {
        heldBy(me.host(), ProcessHandle.current().pid(), me.startMillis() - 3_600_000, Duration.ZERO);
        assertThat(locks.tryAcquire(KEY).lock()).isNotNull();
    }

    @Test
    void aLiveOwnerOnThisHostKeepsItsLockWhateverItsHeartbeat() throws Exception {
        heldBy(me.host(), me.pid(), me.startMillis(), Duration.ofHours(1));
        RunLocks.Attempt attempt = locks.tryAcquire(KEY);
        assertThat(attempt.lock()).isNull();
        assertThat(attempt.heldBy()).contains("pid " + me.pid()).contains("which is running");
        assertThat(generation()).isEqualTo(5);
    }

    @Test
    void anOwnerOnAnotherHostKeepsItsLockWhileItsHeartbeatIsFresh() throws Exception {
        heldBy("elsewhere.example", 4242, 1L, Duration.ofSeconds(5));
        RunLocks.Attempt attempt = locks.tryAcquire(KEY);
        assertThat(attempt.lock()).isNull();
        assertThat(attempt.heldBy()).contains("pid 4242 on elsewhere.example").contains("import.lock-ttl");
        assertThat(generation()).isEqualTo(5);
    }

    @Test
    void anOwnerOnAnotherHostWithAStaleHeartbeatIsTakenOver() throws Exception {
        heldBy("elsewhere.example", 4242, 1L, Duration.ofSeconds(30));
        RunLocks.Attempt attempt = locks.tryAcquire(KEY);
        assertThat(attempt.lock()).as(attempt.heldBy()).isNotNull();
        assertThat(attempt.lock().generation()).isEqualTo(6);
        attempt.lock().close();
    }

    @Test
    void theWorkRunsOnTheCallersThreadWhileTheLockIsRenewedAndALockTakenOverStopsIt() throws Exception {
        RunLocks shortLived = new RunLocks(jdbc.getDataSource(), new Fence(),
                new RunLockProperties(Duration.ofMillis(300)));
        AtomicReference<Thread> lostOn = new AtomicReference<>();
        CountDownLatch lost = new CountDownLatch(1);
        try (RunLock lock = shortLived.tryAcquire(KEY).lock()) {
            Thread caller = Thread.currentThread();
            Thread worker = lock.holdWhile(() -> {
                jdbc.update("UPDATE run_lock SET heartbeat_at = DATEADD(SECOND, -60, CURRENT_TIMESTAMP)");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (jdbc.queryForObject("SELECT DATEDIFF(SECOND, heartbeat_at, CURRENT_TIMESTAMP) FROM run_lock",
                        Long.class) > 5 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(jdbc.queryForObject("SELECT DATEDIFF(SECOND, heartbeat_at, CURRENT_TIMESTAMP) FROM"
                        + " run_lock", Long.class)).as("seconds since the heartbeat, renewed meanwhile").isLessThan(5);
                // Another run takes the lock over: the next renewal finds it gone.
                assertThat(new RunLockTable(jdbc).take(KEY, 1, new LockOwner("elsewhere", 1, 1L))).isTrue();
                assertThat(lost.await(10, TimeUnit.SECONDS)).as("the lost lock seen").isTrue();
                return Thread.currentThread();
            }, () -> {
                lostOn.set(Thread.currentThread());
                lost.countDown();
            });
            assertThat(worker).as("the work's thread").isSameAs(caller);
        }
        assertThat(lostOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
        assertThat(generation()).as("the lock stays the other run's").isEqualTo(2);
    }
}
