package io.cvimport.imports.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.imports.engine.LaneSchedulerTest;
import io.cvimport.imports.engine.OneResourcePerTarget;

/**
 * The owner thread on its failure paths: an Error on it or in a change told to it fails the
 * engine (it does not finish), and no turn is left behind for a caller that went away or
 * waits on a loop that is over. Each failed on the first version of the owner (a hostile review).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OwnerThreadTest {

    private static final TargetResource TARGET = new TargetResource(Region.WEST_US_2,
            URI.create("https://westus2.api.cognitive.microsoft.com"), "0123456789abcdef0123456789abcdef");

    /** The system ticker, whose nanos() throws an Error on the owner's thread once armed. */
    private static final class ArmedTicker implements Ticker {
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public long nanos() {
            if (armed.get() && Thread.currentThread().getName().startsWith("import-lanes")) {
                throw new AssertionError("an Error on the owner's thread (OOM, StackOverflow, unable to create thread)");
            }
            return System.nanoTime();
        }

        @Override
        public <T> @Nullable T poll(BlockingQueue<T> queue, long nanos) throws InterruptedException {
            return Ticker.SYSTEM.poll(queue, nanos);
        }

        @Override
        public boolean await(Future<?> future, long nanos) throws InterruptedException {
            return Ticker.SYSTEM.await(future, nanos);
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            Ticker.SYSTEM.sleep(nanos);
        }
    }

    private static LaneScheduler scheduler(int window, Ticker ticker) {
        var properties = LaneSchedulerTest.properties(10, 2, window, Duration.ofSeconds(5));
        ResourceLanes lanes = new ResourceLanes(new OneResourcePerTarget(), properties, ticker);
        return new LaneScheduler(lanes, new CallsDue(properties), properties, new Clocks(InstantSource.system(), ticker));
    }

    private static Send row(long rowNo) {
        return new Send(TARGET, rowNo, "token-" + rowNo, 0, 0);
    }

    /**
     * An Error on the owner's thread ends its loop with failure == null: done completes, and
     * awaitCompletion says every row is settled though one is still queued and feeding never ended.
     */
    @Test
    void anErrorThatKillsTheOwnerIsNotACompletion() throws Exception {
        ArmedTicker ticker = new ArmedTicker();
        LaneScheduler scheduler = scheduler(10, ticker);
        assertThat(scheduler.send(row(1), Long.MAX_VALUE)).isTrue();
        ticker.armed.set(true);
        scheduler.tell(() -> { }); // wakes the owner: its next step reads the clock
        AtomicReference<Object> outcome = new AtomicReference<>();
        try {
            outcome.set(scheduler.awaitCompletion(Long.MAX_VALUE));
        }
        catch (RuntimeException | Error e) {
            outcome.set(e);
        }
        ticker.armed.set(false);
        scheduler.close();
        assertThat(outcome.get()).as("awaitCompletion with a row queued and the owner dead").isNotEqualTo(Boolean.TRUE);
    }

    /** An Error thrown by a told task is swallowed by its FutureTask: the engine goes on as if nothing happened. */
    @Test
    void anErrorInATellFailsTheEngine() throws Exception {
        LaneScheduler scheduler = scheduler(10, Ticker.SYSTEM);
        scheduler.tell(() -> {
            throw new AssertionError("a bug in a lane's bookkeeping");
        });
        try {
            assertThatThrownBy(() -> scheduler.awaitCompletion(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500)))
                    .as("the engine fails with the Error").isNotNull();
        }
        finally {
            scheduler.close();
        }
    }

    /**
     * A slot wait that is interrupted does not withdraw its turn: the owner grants it later and
     * the lane's slot stays taken by nobody (importOpen never cleared: no token row of the lane is
     * sent again and no lost answer is reconciled, and the lane never becomes idle).
     */
    @Test
    void anInterruptedSlotWaitLeavesNoGrantBehind() throws Exception {
        LaneScheduler scheduler = scheduler(10, Ticker.SYSTEM);
        ResourceLanes lanes = laneOwnerLanes(scheduler);
        Lane lane = scheduler.ask(() -> lanes.of(TARGET));
        assertThat(scheduler.awaitImportSlot(lane, TimeUnit.SECONDS.toNanos(1))).isEqualTo(LaneOwner.SlotTurn.TAKEN);
        AtomicReference<Throwable> waiter = new AtomicReference<>();
        Thread second = new Thread(() -> {
            try {
                waiter.set(new AssertionError("returned " + scheduler.awaitImportSlot(lane, TimeUnit.SECONDS.toNanos(20))));
            }
            catch (InterruptedException e) {
                waiter.set(e);
            }
        });
        second.start();
        Thread.sleep(200);
        second.interrupt();
        second.join(5000);
        assertThat(waiter.get()).isInstanceOf(InterruptedException.class);
        // The first import's answer: its slot is released.
        scheduler.ask(() -> {
            lane.importOpen = false;
            return null;
        });
        boolean open = scheduler.ask(() -> lane.importOpen);
        scheduler.close();
        assertThat(open).as("the slot, taken by the interrupted waiter's stale turn").isFalse();
    }

    /**
     * The owner dies of a RuntimeException told to it: its finally grants pending turns before
     * loop.ended() sets stopping, so a feeder waiting on a full window "as long as it takes" is
     * never answered (the old monitor's stop/fail notified every waiter).
     */
    @Test
    void aFeederWaitingOnAFullWindowIsAnsweredWhenTheOwnerDies() throws Exception {
        LaneScheduler scheduler = scheduler(1, Ticker.SYSTEM);
        assertThat(scheduler.send(row(1), Long.MAX_VALUE)).isTrue();
        AtomicReference<Object> fed = new AtomicReference<>();
        Thread feeder = new Thread(() -> {
            try {
                fed.set(scheduler.send(row(2), Long.MAX_VALUE));
            }
            catch (Throwable e) {
                fed.set(e);
            }
        });
        feeder.setDaemon(true);
        feeder.start();
        Thread.sleep(200);
        scheduler.tell(() -> {
            throw new IllegalStateException("a failure on the owner's thread (a lane's lookup in the ledger, a bug)");
        });
        feeder.join(3000);
        boolean stuck = feeder.isAlive();
        assertThat(stuck).as("feeder still waiting after the owner died").isFalse();
    }

    private static ResourceLanes laneOwnerLanes(LaneScheduler scheduler) throws Exception {
        var field = LaneScheduler.class.getDeclaredField("lanes");
        field.setAccessible(true);
        return (ResourceLanes) field.get(scheduler);
    }
}
