package io.cvimport.job;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * One run at a time per input, across processes and machines sharing the job repository:
 * Spring Integration's JDBC lock, renewed while the run lives. A killed run's lock expires
 * after its time to live, after which the next run takes over and recovers the execution.
 */
final class RunLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    private final JdbcLockRegistry registry;
    private final String key;
    private final Lock lock;
    private final ScheduledExecutorService renewer;

    private RunLock(JdbcLockRegistry registry, String key, Lock lock, Duration ttl) {
        this.registry = registry;
        this.key = key;
        this.lock = lock;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "run-lock-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, ttl.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** @return the held lock, or null if another live run holds it */
    static @Nullable RunLock tryAcquire(JdbcLockRegistry registry, String key, Duration ttl) {
        Lock lock = registry.obtain(key);
        return lock.tryLock() ? new RunLock(registry, key, lock, ttl) : null;
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
        renewer.shutdownNow();
        try {
            lock.unlock();
        }
        catch (RuntimeException e) {
            log.warn("could not release the run lock: {}", e.toString());
        }
    }
}
