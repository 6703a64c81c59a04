package io.cvimport.imports.lanes;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.github.bucket4j.TimeMeter;

import org.jspecify.annotations.Nullable;

/**
 * The engine's monotonic clock, for pacing and waits: {@link #SYSTEM} in production; a test
 * supplies one whose time moves only when the engine waits, so that seconds of pacing take
 * milliseconds.
 */
public interface Ticker {

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public <T> @Nullable T poll(BlockingQueue<T> queue, long nanos) throws InterruptedException {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean await(Future<?> future, long nanos) throws InterruptedException {
            try {
                future.get(nanos, TimeUnit.NANOSECONDS);
            }
            catch (ExecutionException e) {
                // Done all the same: its caller reads how.
            }
            catch (TimeoutException e) {
                return false;
            }
            return true;
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            LockSupport.parkNanos(nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    long nanos();

    /** The queue's head, waiting for one up to {@code nanos} of this clock; null if none came. */
    <T> @Nullable T poll(BlockingQueue<T> queue, long nanos) throws InterruptedException;

    /** Waits up to {@code nanos} of this clock for the future; whether it is done. */
    boolean await(Future<?> future, long nanos) throws InterruptedException;

    /** Pauses the calling thread for {@code nanos} of this clock. */
    void sleep(long nanos) throws InterruptedException;

    /** This clock as Bucket4j's, so that rate budgets refill on it. */
    default TimeMeter meter() {
        Ticker ticker = this;
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return ticker.nanos();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }
}
