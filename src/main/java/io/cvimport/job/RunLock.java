package io.cvimport.job;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * One run at a time per input, across processes and machines sharing the job repository:
 * Spring Integration's JDBC lock, which expires unless renewed. The thread that took the
 * lock renews it while the run works on another thread, so a killed run's lock expires
 * after its time to live and the next run takes over and recovers the execution.
 */
final class RunLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    private final JdbcLockRegistry registry;
    private final String key;
    private final Lock lock;
    private final Duration ttl;

    private RunLock(JdbcLockRegistry registry, String key, Lock lock, Duration ttl) {
        this.registry = registry;
        this.key = key;
        this.lock = lock;
        this.ttl = ttl;
    }

    /** @return the held lock, or null if another live run holds it */
    static @Nullable RunLock tryAcquire(JdbcLockRegistry registry, String key, Duration ttl) {
        Lock lock = registry.obtain(key);
        return lock.tryLock() ? new RunLock(registry, key, lock, ttl) : null;
    }

    /** Runs the work on a thread of its own, renewing the lock from this (its owner's) thread meanwhile. */
    <T> T holdWhile(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread worker = new Thread(task, "run");
        worker.start();
        long every = Math.max(100, ttl.toMillis() / 3);
        while (true) {
            try {
                return task.get(every, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException stillRunning) {
                renew();
            }
            catch (ExecutionException e) {
                if (e.getCause() instanceof Exception exception) {
                    throw exception;
                }
                throw e;
            }
        }
    }

    private void renew() {
        try {
            registry.renewLock(key);
        }
        catch (RuntimeException e) {
            log.warn("could not renew the run lock: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            lock.unlock();
        }
        catch (RuntimeException e) {
            log.warn("could not release the run lock: {}", e.toString());
        }
    }
}
