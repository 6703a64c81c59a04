package io.cvimport.job;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cvimport.ledger.Fence;
import io.cvimport.ledger.RunLockTable;

/**
 * A run lock this process holds (see {@link RunLocks}): the run works on a thread of its
 * own while the owner's thread renews the heartbeat and watches that the lock is still
 * this run's. On PostgreSQL the advisory lock's session may die (a database restart, a
 * network cut): the lock is then taken again, and kept only if nobody took it over
 * meanwhile (the generation is still this run's). A lock found lost stops the run.
 */
final class RunLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    private final DataSource dataSource;
    private final String key;
    private final long generation;
    private final Duration ttl;
    private final Fence fence;
    private final boolean postgres;
    /** PostgreSQL only; touched by the owner's thread only. */
    private @Nullable AdvisoryLock advisory;
    private boolean lost;

    RunLock(DataSource dataSource, String key, long generation, Duration ttl, Fence fence,
            @Nullable AdvisoryLock advisory) {
        this.dataSource = dataSource;
        this.key = key;
        this.generation = generation;
        this.ttl = ttl;
        this.fence = fence;
        this.postgres = advisory != null;
        this.advisory = advisory;
        fence.hold(key, generation);
    }

    long generation() {
        return generation;
    }

    /**
     * Runs the work on a thread of its own, renewing the lock from this (its owner's)
     * thread meanwhile; {@code onLost} runs once if another run takes the lock over.
     */
    <T> T holdWhile(Callable<T> work, Runnable onLost) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread worker = new Thread(task, "run");
        worker.start();
        long every = Math.max(100, ttl.toMillis() / 3);
        while (true) {
            try {
                return task.get(every, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException stillRunning) {
                if (!lost && !renew()) {
                    lost = true;
                    fence.lose();
                    log.error("this run lost its lock on the input to another run (generation {} is no longer"
                            + " current): it sends nothing more and stops; the run that holds the lock carries on",
                            generation);
                    onLost.run();
                }
            }
            catch (ExecutionException e) {
                if (e.getCause() instanceof Exception exception) {
                    throw exception;
                }
                throw e;
            }
        }
    }

    /** @return false when the lock is known to be another run's now; a database that cannot be reached says nothing */
    private boolean renew() {
        try {
            return postgres ? renewSession() : new RunLockTable(new JdbcTemplate(dataSource)).beat(key, generation);
        }
        catch (DataAccessException | SQLException e) {
            log.warn("could not renew the run lock (retrying): {}", causeOf(e));
            return true;
        }
    }

    private boolean renewSession() throws SQLException {
        AdvisoryLock session = advisory;
        if (session != null) {
            try {
                return new RunLockTable(session.session()).beat(key, generation);
            }
            catch (DataAccessException e) {
                log.warn("the run lock's database session is gone ({}); taking the lock again", causeOf(e));
                session.close();
                advisory = null;
            }
        }
        AdvisoryLock again = AdvisoryLock.tryLock(dataSource, key);
        if (again == null) {
            return false;
        }
        advisory = again;
        if (!new RunLockTable(again.session()).beat(key, generation)) {
            return false;
        }
        log.info("took the run lock again (generation {} is still this run's); carrying on", generation);
        return true;
    }

    @Override
    public void close() {
        fence.release();
        AdvisoryLock session = advisory;
        advisory = null;
        try {
            if (!lost) {
                new RunLockTable(session != null ? session.session() : new JdbcTemplate(dataSource))
                        .release(key, generation);
            }
        }
        catch (DataAccessException e) {
            log.warn("could not release the run lock: {}", causeOf(e));
        }
        finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private static String causeOf(Exception e) {
        return (e instanceof DataAccessException access ? access.getMostSpecificCause() : e).toString();
    }
}
