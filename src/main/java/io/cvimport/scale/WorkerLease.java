package io.cvimport.scale;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.LockOwner;
import io.cvimport.ledger.RunLockTable;
import io.cvimport.ledger.Fence;
import io.cvimport.imports.step.ImportTasklet;
import io.cvimport.imports.step.RunningImports;

/**
 * This worker's lease: a row of run_lock ({@code worker/<uuid>}) that it renews every third of
 * {@code scale.worker-lease} on the database's clock, and whose generation is the fencing
 * token of every row it claims for sending. A manager that sees the lease not renewed for
 * {@code scale.worker-lease} revokes it and sends the worker's partitions to other workers;
 * a worker that was only frozen (a pause, a network cut) then finds its lease gone: it sends
 * nothing more (its claims fail on the token) and exits 1, for its supervisor to start it
 * afresh. The lease ends with the worker.
 */
@Component
@ConditionalOnProperty(name = "scale.role", havingValue = "worker")
class WorkerLease implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WorkerLease.class);
    private static final long GENERATION = 1;

    private final RunLockTable table;
    private final Fence fence;
    private final RunningImports imports;
    private final String key = PartitionWorkers.LEASE_PREFIX + UUID.randomUUID();
    private final String worker;
    private final Heartbeat heartbeat;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "worker-lease");
        thread.setDaemon(true);
        return thread;
    });

    WorkerLease(JdbcTemplate jdbcTemplate, Fence fence, RunningImports imports, ScaleProperties properties) {
        this.table = new RunLockTable(jdbcTemplate);
        this.fence = fence;
        this.imports = imports;
        LockOwner owner = LockOwner.current();
        this.worker = owner.toString();
        if (!table.create(key, owner)) {
            throw new IllegalStateException("a worker lease " + key + " exists already");
        }
        fence.hold(key, GENERATION);
        heartbeat = new Heartbeat(properties.workerHeartbeatFile(), java.time.Clock.systemUTC());
        heartbeat.beat();
        long every = Math.max(100, properties.workerLease().toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("worker {}: lease {} taken, renewed every {} ms", worker, key, every);
    }

    /** The lease's key in run_lock. */
    String key() {
        return key;
    }

    /** This worker, for the operator: its pid and host. */
    String worker() {
        return worker;
    }

    private void renew() {
        boolean held;
        try {
            held = table.beat(key, GENERATION);
        }
        catch (DataAccessException e) {
            log.warn("could not renew this worker's lease (retrying): {}", e.getMostSpecificCause().toString());
            return;
        }
        if (held) {
            heartbeat.beat();
        }
        else {
            lost();
        }
    }

    private void lost() {
        fence.lose();
        heartbeat.end();
        log.error("this worker's lease was revoked: the manager found it not renewed for scale.worker-lease and gave"
                + " its partitions to other workers. It sends nothing more and exits 1; start it again to take new"
                + " partitions");
        imports.stopAll();
        renewals.shutdown();
        // Not on this thread: the shutdown that System.exit starts destroys this bean, which waits for it.
        new Thread(() -> System.exit(1), "worker-lease-lost").start();
    }

    @Override
    public void destroy() throws InterruptedException {
        renewals.shutdownNow();
        renewals.awaitTermination(5, TimeUnit.SECONDS);
        heartbeat.end();
        try {
            table.delete(key, GENERATION);
        }
        catch (DataAccessException e) {
            log.warn("could not end this worker's lease: {}", e.getMostSpecificCause().toString());
        }
        fence.release();
    }
}
