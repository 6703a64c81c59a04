package io.cvimport.imports.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Ticker;

/**
 * Clocks whose time moves only when the engine waits: a wait of N nanoseconds moves both
 * clocks on to the moment it waited for (never back), so seconds of pacing take a
 * millisecond or two of real time. A wait still lasts a real millisecond (unless what it
 * waits for comes first), so that the other threads get their turn.
 */
public final class FakeClocks implements Ticker {

    /** The wall clock's reading at monotonic zero: 2026-11-29T12:00:00Z. */
    private static final long EPOCH_MILLIS = 1_795_953_600_000L;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** How far the engine's wall clock was stepped (NTP); the service's clock and the monotonic one never are. */
    private final AtomicLong wallStepMillis = new AtomicLong();

    public Clocks clocks() {
        InstantSource wall = () -> Instant.ofEpochMilli(millis() + wallStepMillis.get());
        return new Clocks(wall, this);
    }

    /** Steps the engine's wall clock by {@code step}, as NTP may mid-run. */
    void stepWall(Duration step) {
        wallStepMillis.addAndGet(step.toMillis());
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    long millis() {
        return EPOCH_MILLIS + nanos.get() / 1_000_000;
    }

    @Override
    public <T> @Nullable T poll(BlockingQueue<T> queue, long waitNanos) throws InterruptedException {
        T head = queue.poll();
        if (head != null) {
            return head;
        }
        advanceTo(nanos.get() + waitNanos);
        return queue.poll(1, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean await(Future<?> future, long waitNanos) throws InterruptedException {
        if (future.isDone()) {
            return true;
        }
        advanceTo(nanos.get() + waitNanos);
        return Ticker.SYSTEM.await(future, TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Override
    public void sleep(long sleepNanos) {
        advanceTo(nanos.get() + sleepNanos);
    }

    void advanceTo(long target) {
        nanos.accumulateAndGet(target, Math::max);
    }
}
