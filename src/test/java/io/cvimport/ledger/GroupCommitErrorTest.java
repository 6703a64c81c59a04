package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A commit that ends with an Error (not a RuntimeException) tells every write it held that it
 * failed: none of their callers is told "not moved" for a write that never ran.
 */
class GroupCommitErrorTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aWriteHeldByACommitThatEndedInAnErrorIsNeverReportedAsNotMoved() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        GroupCommit group = new GroupCommit(writes -> {
            int batch = batches.incrementAndGet();
            if (batch == 1) {
                firstHeld.countDown();
                await(release);
            }
            if (batch == 2) {
                throw new StackOverflowError("deep in the driver");
            }
            writes.forEach(Runnable::run);
        });
        Future<Boolean> first = threads.submit(() -> group.write(() -> true));
        assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean secondRan = new AtomicBoolean();
        AtomicBoolean thirdRan = new AtomicBoolean();
        Future<Boolean> second = threads.submit(() -> group.write(() -> secondRan.getAndSet(true) || true));
        Future<Boolean> third = threads.submit(() -> group.write(() -> thirdRan.getAndSet(true) || true));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.queued() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();

        for (Future<Boolean> each : List.of(second, third)) {
            boolean answered;
            try {
                answered = each.get(10, TimeUnit.SECONDS);
            }
            catch (java.util.concurrent.ExecutionException failed) {
                continue; // told it failed: fine
            }
            assertThat(answered).as("a write answered without failure must have run and moved").isTrue();
        }
    }

    @Test
    void anErrorOfOneWriteIsItsCallersAloneAndTheGroupsOtherWritesRunAgain() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        GroupCommit group = new GroupCommit(writes -> {
            if (batches.incrementAndGet() == 1) {
                firstHeld.countDown();
                await(release);
            }
            writes.forEach(Runnable::run);
        });
        Future<Boolean> first = threads.submit(() -> group.write(() -> true));
        assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger runsOfTheOther = new AtomicInteger();
        Future<Boolean> failing = threads.submit(() -> group.write(() -> {
            throw new StackOverflowError("deep in this write");
        }));
        Future<Boolean> other = threads.submit(() -> group.write(() -> runsOfTheOther.incrementAndGet() > 0));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.queued() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StackOverflowError.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
