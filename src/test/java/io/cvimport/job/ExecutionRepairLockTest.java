package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cvimport.ledger.Fence;

/**
 * A run resumes after an outage, repairing the input's executions, only while its lock is
 * still its own: an outage can end the lock's session, and another run that took the lock
 * then owns executions that are alive.
 */
class ExecutionRepairLockTest extends JobFixture {

    static final String KEY = "input:repair-lock";

    @Autowired
    ExecutionRepair repair;

    @Autowired
    Fence fence;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void release() {
        fence.release();
        jdbc.update("DELETE FROM run_lock WHERE lock_key = ?", KEY);
    }

    @Test
    void theLockIsStillThisRunsWhileItsGenerationIsCurrent() {
        jdbc.update("INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, owner_start, heartbeat_at)"
                + " VALUES (?, 7, 'here', 1, 1, ?)", KEY, Timestamp.from(Instant.now()));
        fence.hold(KEY, 7);

        assertThat(repair.stillHoldsTheLock()).isTrue();
    }

    @Test
    void aLockTakenOverIsNoLongerThisRuns() {
        jdbc.update("INSERT INTO run_lock (lock_key, generation, owner_host, owner_pid, owner_start, heartbeat_at)"
                + " VALUES (?, 8, 'there', 2, 2, ?)", KEY, Timestamp.from(Instant.now()));
        fence.hold(KEY, 7);

        assertThat(repair.stillHoldsTheLock()).isFalse();
    }

    @Test
    void aJobStartedWithoutALockMayAlwaysRepair() {
        assertThat(repair.stillHoldsTheLock()).isTrue();
    }
}
