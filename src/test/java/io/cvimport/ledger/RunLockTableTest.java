package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run lock table: created once, taken over by generation, renewed, released, revoked, counted while alive. */
class RunLockTableTest {

    private static final LockOwner ALICE = new LockOwner("host-a", 11, 1_000L);
    private static final LockOwner BOB = new LockOwner("host-b", 22, null);

    private LedgerDatabase database;
    private RunLockTable locks;

    @BeforeEach
    void table() {
        database = new LedgerDatabase();
        locks = new RunLockTable(database.jdbc());
    }

    private OffsetDateTime heartbeat(String key) {
        return database.jdbc().queryForObject("SELECT heartbeat_at FROM run_lock WHERE lock_key = ?",
                OffsetDateTime.class, key);
    }

    private void age(String key, int seconds) {
        database.jdbc().update("UPDATE run_lock SET heartbeat_at = DATEADD('SECOND', ?, CURRENT_TIMESTAMP)"
                + " WHERE lock_key = ?", -seconds, key);
    }

    @Test
    void aLockNeverCreatedReadsAsNone() {
        assertThat(locks.read("input:none")).isNull();
    }

    @Test
    void theFirstCreateTakesGenerationOneWithItsOwnerAndAFreshHeartbeat() {
        assertThat(locks.create("input:a", ALICE)).isTrue();

        RunLockTable.Holder holder = locks.read("input:a");
        assertThat(holder).isNotNull();
        assertThat(holder.generation()).isEqualTo(1);
        assertThat(holder.owner()).isEqualTo(ALICE);
        assertThat(holder.heartbeatAge()).isBetween(Duration.ofSeconds(-5), Duration.ofSeconds(30));
    }

    @Test
    void anOwnerWithoutAStartInstantIsReadWithoutOne() {
        assertThat(locks.create("input:b", BOB)).isTrue();
        assertThat(locks.read("input:b").owner()).isEqualTo(BOB);
    }

    @Test
    void aSecondCreateOfTheSameKeyIsRefused() {
        assertThat(locks.create("input:a", ALICE)).isTrue();
        assertThat(locks.create("input:a", BOB)).isFalse();
        assertThat(locks.read("input:a").owner()).isEqualTo(ALICE);
    }

    @Test
    void aTakeOverFromTheGenerationSeenIncrementsItAndNamesTheNewOwner() {
        locks.create("input:a", ALICE);

        assertThat(locks.take("input:a", 1, BOB)).isTrue();

        RunLockTable.Holder holder = locks.read("input:a");
        assertThat(holder.generation()).isEqualTo(2);
        assertThat(holder.owner()).isEqualTo(BOB);
    }

    @Test
    void aTakeOverFromAGenerationNoLongerThereMovesNothing() {
        locks.create("input:a", ALICE);
        locks.take("input:a", 1, BOB);

        assertThat(locks.take("input:a", 1, ALICE)).as("another run took generation 2 meanwhile").isFalse();
        assertThat(locks.read("input:a").owner()).isEqualTo(BOB);
        assertThat(locks.read("input:a").generation()).isEqualTo(2);
    }

    @Test
    void aBeatRenewsOnlyTheCurrentGenerationOfAHeldLock() {
        locks.create("input:a", ALICE);
        age("input:a", 60);

        assertThat(locks.beat("input:a", 1)).isTrue();
        assertThat(locks.read("input:a").heartbeatAge()).isLessThan(Duration.ofSeconds(30));

        locks.take("input:a", 1, BOB);
        assertThat(locks.beat("input:a", 1)).as("taken over").isFalse();
        locks.release("input:a", 2);
        assertThat(locks.beat("input:a", 2)).as("released").isFalse();
    }

    @Test
    void aReleaseLeavesTheLockFreeAtItsGeneration() {
        locks.create("input:a", ALICE);
        locks.take("input:a", 1, BOB);

        locks.release("input:a", 1);
        assertThat(locks.read("input:a").owner()).as("a stale release moves nothing").isEqualTo(BOB);

        locks.release("input:a", 2);
        RunLockTable.Holder holder = locks.read("input:a");
        assertThat(holder.owner()).isNull();
        assertThat(holder.generation()).isEqualTo(2);
        assertThat(locks.take("input:a", 2, ALICE)).isTrue();
        assertThat(locks.read("input:a").generation()).isEqualTo(3);
    }

    @Test
    void liveCountsTheOwnedLocksOfThePrefixRenewedWithinTheirLifetime() {
        locks.create("worker:1", ALICE);
        locks.create("worker:2", BOB);
        locks.create("worker:3", ALICE);
        age("worker:3", 120);
        locks.create("worker:4", BOB);
        locks.release("worker:4", 1);
        locks.create("input:x", ALICE);

        assertThat(locks.live("worker:", Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(locks.live("input:", Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(locks.live("none:", Duration.ofSeconds(60))).isZero();
    }

    @Test
    void aRevokeEndsTheLockOnlyAsSeen() {
        locks.create("input:a", ALICE);
        OffsetDateTime seen = heartbeat("input:a");

        assertThat(locks.revoke("input:a", 2, seen)).as("another generation").isFalse();
        assertThat(locks.revoke("input:a", 1, seen.minusSeconds(5))).as("renewed since").isFalse();
        assertThat(locks.read("input:a")).isNotNull();

        assertThat(locks.revoke("input:a", 1, seen)).isTrue();
        assertThat(locks.read("input:a")).isNull();
    }

    @Test
    void aDeleteEndsOnlyItsOwnGeneration() {
        locks.create("input:a", ALICE);
        locks.take("input:a", 1, BOB);

        locks.delete("input:a", 1);
        assertThat(locks.read("input:a")).isNotNull();

        locks.delete("input:a", 2);
        assertThat(locks.read("input:a")).isNull();
        assertThat(locks.create("input:a", ALICE)).as("a new lock of the key, from generation 1").isTrue();
        assertThat(locks.read("input:a").generation()).isEqualTo(1);
    }
}
