package io.cvimport.imports;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.bucket4j.TimeMeter;

/**
 * The engine's monotonic clock, for pacing and waits: {@link #SYSTEM} in production; a test
 * supplies one whose time moves only when the engine waits, so that seconds of pacing take
 * milliseconds.
 */
interface Ticker {

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void await(Object monitor, long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
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

    /** Waits on {@code monitor}, which the caller holds, until notified or {@code nanos} of this clock passed. */
    void await(Object monitor, long nanos) throws InterruptedException;

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
