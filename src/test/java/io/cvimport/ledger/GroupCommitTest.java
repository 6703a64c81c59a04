package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import io.cvimport.ledger.LedgerDatabase;

/** Writes of several threads committed together, each caller still answered with its own outcome. */
class GroupCommitTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(12);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void writesThatArriveDuringACommitShareTheNextOne() throws Exception {
        CountDownLatch firstCommitHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit group = new GroupCommit(writes -> {
            batches.add(writes.size());
            if (batches.size() == 1) {
                firstCommitHeld.countDown();
                await(release);
            }
            writes.forEach(Runnable::run);
        });
        Future<Boolean> first = threads.submit(() -> group.write(() -> true));
        assertThat(firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<Boolean>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean result = i % 2 == 0;
            waiting.add(threads.submit(() -> group.write(() -> result)));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.queued() < 10 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(group.queued()).isEqualTo(10);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i % 2 == 0);
        }
        assertThat(batches).containsExactly(1, 10);
        assertThat(group.commits()).isEqualTo(2);
    }

    @Test
    void aFailingWriteUndoesItsGroupWhoseWritesEachRunAgainAloneAndOnlyItsCallerIsTold() throws Exception {
        LedgerDatabase database = new LedgerDatabase();
        database.jdbc().execute("CREATE TABLE t (id INT PRIMARY KEY)");
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit group = new GroupCommit(writes -> {
            batches.add(writes.size());
            if (batches.size() == 1) {
                await(release);
            }
            database.ledger().together(writes);
        });
        Future<Boolean> holder = threads.submit(() -> group.write(() -> insert(database, 1)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batches.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Future<Boolean> before = threads.submit(() -> group.write(() -> insert(database, 2)));
        Future<Boolean> failing = threads.submit(() -> group.write(() -> insert(database, 1)));
        Future<Boolean> after = threads.submit(() -> group.write(() -> insert(database, 3)));
        while (group.queued() < 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        release.countDown();

        assertThat(holder.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(before.get(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
                org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException.class);
        assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
        // The group of three rolled back as one; each of its writes then committed (or failed) alone.
        assertThat(batches).containsExactly(1, 3);
        assertThat(database.jdbc().queryForList("SELECT id FROM t ORDER BY id", Integer.class)).containsExactly(1, 2, 3);
    }

    @Test
    void aRefusedCommitRunsEachOfItsWritesOnceMoreAlone() {
        AtomicInteger runs = new AtomicInteger();
        GroupCommit group = new GroupCommit(writes -> {
            writes.forEach(Runnable::run);
            throw new IllegalStateException("commit refused");
        });

        assertThat(group.write(() -> runs.incrementAndGet() > 0)).isTrue();
        assertThat(runs).hasValue(2);
        assertThatThrownBy(() -> group.write(() -> {
            throw new IllegalStateException("refused alone too");
        })).hasMessage("refused alone too");
    }

    @Test
    void aWriteThatFailedInItsGroupRunsOnceMoreAloneAndItsCallerGetsThatOutcome() {
        // A statement the outage ride-through would have tried again (PostgreSQL's disk full), or
        // a deadlock with another transaction: alone, the write commits as it did before grouping.
        LedgerDatabase database = new LedgerDatabase();
        database.jdbc().execute("CREATE TABLE t (id INT PRIMARY KEY)");
        AtomicInteger runs = new AtomicInteger();
        GroupCommit group = new GroupCommit(database.ledger()::together);

        boolean moved = group.write(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new DataAccessResourceFailureException("could not extend file",
                        new SQLException("could not extend file: No space left on device", "53100"));
            }
            return insert(database, 1);
        });

        assertThat(moved).isTrue();
        assertThat(runs).hasValue(2);
        assertThat(database.jdbc().queryForList("SELECT id FROM t", Integer.class)).containsExactly(1);
    }

    private static boolean insert(LedgerDatabase database, int id) {
        return database.jdbc().update("INSERT INTO t (id) VALUES (?)", id) == 1;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A commit begins at most once every spacing: writes that arrive one after the other within
     * it wait for the next commit and share it, and each caller still gets its own result.
     */
    @Test
    void writesWithinTheSpacingShareOneCommit() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit group = new GroupCommit(writes -> {
            batches.add(writes.size());
            writes.forEach(Runnable::run);
        }, Duration.ofMillis(500), () -> {
        });
        assertThat(group.result(() -> "first")).isEqualTo("first");
        List<Future<String>> next = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String mine = "write-" + i;
            next.add(threads.submit(() -> group.result(() -> mine)));
            Thread.sleep(20);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(next.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("write-" + i);
        }
        assertThat(batches).containsExactly(1, 5);
        assertThat(group.commits()).isEqualTo(2);
    }

    /**
     * The writes that ask for the flush (write-aheads) of one group share one, run after its
     * commit and before any of them is answered; a group without such a write has none.
     */
    @Test
    void theWritesOfAGroupThatAskForTheFlushShareOneAfterTheCommit() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        GroupCommit group = new GroupCommit(writes -> {
            writes.forEach(Runnable::run);
            events.add("commit of " + writes.size());
        }, Duration.ofMillis(500), () -> events.add("flush"));
        assertThat(group.result(() -> "alone")).isEqualTo("alone");
        List<Future<GroupCommit.Committed<String>>> durable = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String mine = "write-ahead-" + i;
            durable.add(threads.submit(() -> group.durable(() -> mine)));
        }
        Future<String> plain = threads.submit(() -> group.result(() -> "answer"));

        for (int i = 0; i < 4; i++) {
            GroupCommit.Committed<String> committed = durable.get(i).get(10, TimeUnit.SECONDS);
            assertThat(committed.result()).isEqualTo("write-ahead-" + i);
            assertThat(committed.flushed()).isTrue();
            assertThat(events).endsWith("flush"); // answered only once flushed
        }
        assertThat(plain.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(events).containsExactly("commit of 1", "commit of 5", "flush");
    }

    /** A flush that fails leaves each write-ahead, committed, for its caller to flush: none is failed or run again. */
    @Test
    void aFailedFlushLeavesTheCommittedWritesToTheirCallers() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        GroupCommit group = new GroupCommit(writes -> writes.forEach(Runnable::run), Duration.ZERO, () -> {
            throw new DataAccessResourceFailureException("the repository went away");
        });

        GroupCommit.Committed<Integer> committed = group.durable(runs::incrementAndGet);

        assertThat(committed.result()).isEqualTo(1);
        assertThat(committed.flushed()).isFalse();
        assertThat(runs).hasValue(1);
    }

    /**
     * A flush that throws an Error after the group committed: a write of the group that did not
     * ask for the flush (an answer) committed, and is answered as such, not failed with the
     * flush's Error; the write-ahead is left to its caller to flush.
     */
    @Test
    void aFlushThatThrowsAnErrorFailsNoWriteThatCommitted() throws Exception {
        List<String> committed = Collections.synchronizedList(new ArrayList<>());
        GroupCommit group = new GroupCommit(writes -> {
            writes.forEach(Runnable::run);
            committed.add("commit of " + writes.size());
        }, Duration.ofMillis(500), () -> {
            throw new StackOverflowError("the flush's own");
        });
        assertThat(group.result(() -> "alone")).isEqualTo("alone");
        Future<GroupCommit.Committed<String>> writeAhead = threads.submit(() -> group.durable(() -> "write-ahead"));
        Future<String> answer = threads.submit(() -> group.result(() -> "answer"));

        Object outcome;
        try {
            outcome = answer.get(10, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.ExecutionException e) {
            outcome = e.getCause();
        }
        assertThat(committed).containsExactly("commit of 1", "commit of 2");
        assertThat(outcome).isEqualTo("answer");
        assertThat(writeAhead.get(10, TimeUnit.SECONDS)).isEqualTo(new GroupCommit.Committed<>("write-ahead", false));
    }
}
