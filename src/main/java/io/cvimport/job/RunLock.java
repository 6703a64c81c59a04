package io.cvimport.job;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cvimport.ledger.Fence;
import io.cvimport.ledger.RunLockTable;

/**
 * A run lock this process holds (see {@link RunLocks}): the run works on its caller's
 * thread while a scheduled executor renews the heartbeat and watches that the lock is
 * still this run's. On PostgreSQL the advisory lock's session may die (a database restart, a
 * network cut): the lock is then taken again, and kept only if nobody took it over
 * meanwhile (the generation is still this run's). A lock found lost stops the run.
 */
final class RunLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    /** How long the end of a run waits for a renewal in progress (a database that does not answer). */
    private static final Duration RENEWAL_END = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final String key;
    private final long generation;
    private final Duration ttl;
    private final Fence fence;
    private final boolean postgres;
    /** PostgreSQL only; touched by the renewing thread, then by close once renewal has ended. */
    private volatile @Nullable AdvisoryLock advisory;
    private volatile boolean lost;

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
     * Runs the work on the caller's thread while a scheduled executor renews the lock every
     * third of its ttl, as a worker's lease is renewed; {@code onLost} runs once, on the
     * renewing thread, if another run takes the lock over. Renewal ends with the work.
     */
    <T> T holdWhile(Callable<T> work, Runnable onLost) throws Exception {
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "run-lock");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, ttl.toMillis() / 3);
        renewals.scheduleWithFixedDelay(() -> renewOrLose(onLost), every, every, TimeUnit.MILLISECONDS);
        try {
            return work.call();
        }
        finally {
            renewals.shutdown();
            if (!renewals.awaitTermination(RENEWAL_END.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the run lock's last renewal did not end within {} s", RENEWAL_END.toSeconds());
            }
        }
    }

    private void renewOrLose(Runnable onLost) {
        if (lost) {
            return;
        }
        boolean held;
        try {
            held = renew();
        }
        catch (RuntimeException e) {
            // An exception would end the renewals: a renewal that failed says nothing about the lock.
            log.warn("could not renew the run lock (retrying): {}", e.toString());
            return;
        }
        if (!held) {
            lost = true;
            fence.lose();
            log.error("this run lost its lock on the input to another run (generation {} is no longer"
                    + " current): it sends nothing more and stops; the run that holds the lock carries on",
                    generation);
            onLost.run();
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
