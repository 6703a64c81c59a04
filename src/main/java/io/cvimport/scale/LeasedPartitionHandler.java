package io.cvimport.scale;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;

import io.cvimport.ledger.RunLockTable;
import io.cvimport.imports.sending.Sender;

/**
 * The manager's side of remote partitioning: each partition's step execution goes to the
 * workers as a {@link StepExecutionRequest} over the broker, and the manager polls the job
 * repository for their ends, as Spring Batch Integration's own handler does, and also watches
 * the workers' leases, which that handler has no notion of:
 * <ul>
 * <li>a partition whose worker has not renewed its lease for {@code scale.worker-lease}: the
 * lease is revoked (the worker, if only frozen, can send nothing more), the partition's step
 * execution is marked FAILED and the partition sent again as a new step execution of the same
 * run, whose worker reconciles what the dead one had sent; after the repository was out of
 * reach, no lease is judged before the workers have had a whole lease to renew;</li>
 * <li>a partition a live worker took but did not start within {@code scale.worker-lease}:
 * sent again likewise;</li>
 * <li>no worker alive for {@code scale.worker-timeout}: the partitions not finished are marked
 * FAILED and the run ends (exit 1), for the same command to resume;</li>
 * <li>a run asked to stop: partitions no worker has taken are marked STOPPED; the others stop
 * on their worker at its next round.</li>
 * </ul>
 */
final class LeasedPartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(LeasedPartitionHandler.class);

    private final String stepName;
    private final PartitionRequests.Sender requests;
    private final JobRepository jobRepository;
    private final PartitionWorkers workers;
    private final RunLockTable leases;
    private final Duration lease;
    private final Duration workerTimeout;
    private final long pollMillis;

    LeasedPartitionHandler(String stepName, PartitionRequests.Sender requests, JobRepository jobRepository,
            PartitionWorkers workers, RunLockTable leases, ScaleProperties properties, long pollMillis) {
        this.stepName = stepName;
        this.requests = requests;
        this.jobRepository = jobRepository;
        this.workers = workers;
        this.leases = leases;
        this.lease = properties.workerLease();
        this.workerTimeout = properties.workerTimeout();
        this.pollMillis = pollMillis;
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        // By partition (step name): a partition sent again has a new step execution.
        Map<String, StepExecution> current = new TreeMap<>();
        for (StepExecution partition : partitions) {
            current.put(partition.getStepName(), partition);
            send(partition);
        }
        Watch watch = new Watch(System.nanoTime());
        while (true) {
            try {
                if (watch.over(manager, current)) {
                    return new HashSet<>(current.values());
                }
            }
            catch (DataAccessException e) {
                log.warn("could not read the partitions' state from the job repository (retrying): {}",
                        e.getMostSpecificCause().toString());
            }
            Thread.sleep(pollMillis);
        }
    }

    /**
     * The manager's looks at its partitions, one per poll: whether they all ended or the wait
     * for a worker is over. Between looks it keeps when the repository last answered, from
     * when workers are judged, and since when no worker lives.
     */
    private final class Watch {

        private long lastRead;
        private long judgeFrom;
        private long noWorkerSince = -1;

        Watch(long now) {
            this.lastRead = now;
            this.judgeFrom = now;
        }

        boolean over(StepExecution manager, Map<String, StepExecution> current) {
            List<StepExecution> open = refresh(current);
            if (open.isEmpty()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastRead > TimeUnit.MILLISECONDS.toNanos(pollMillis) + lease.toNanos() / 3) {
                // The repository was out of reach (or this process was paused): the workers could not
                // renew meanwhile, so none is judged before it has had a whole lease to do it.
                judgeFrom = now + lease.toNanos();
                log.info("the job repository answered again after {} s: workers' leases are judged again in {}",
                        TimeUnit.NANOSECONDS.toSeconds(now - lastRead), text(lease));
            }
            lastRead = now;
            boolean stopping = stopping(manager.getJobExecutionId());
            if (now - judgeFrom >= 0) {
                watchLeases(current, open, stopping);
            }
            return noWorkerForTheTimeout(now, open.size()) && giveUp(refresh(current));
        }

        /** Whether no worker has lived for scale.worker-timeout: the first look without one starts the count. */
        private boolean noWorkerForTheTimeout(long now, int open) {
            if (leases.live(PartitionWorkers.LEASE_PREFIX, lease) > 0) {
                noWorkerSince = -1;
                return false;
            }
            if (noWorkerSince < 0) {
                noWorkerSince = now;
                log.warn("no worker is alive (none renewed its lease within scale.worker-lease, {}): {} partitions"
                        + " wait for one, up to scale.worker-timeout ({})", text(lease), open, text(workerTimeout));
                return false;
            }
            return now - noWorkerSince >= workerTimeout.toNanos();
        }
    }

    private void send(StepExecution partition) {
        requests.send(new StepExecutionRequest(stepName, partition.getId()));
    }

    /** Reads each partition's execution again; returns those not ended. */
    private List<StepExecution> refresh(Map<String, StepExecution> current) {
        current.replaceAll((name, execution) -> {
            StepExecution now = jobRepository.getStepExecution(execution.getId());
            return now == null ? execution : now;
        });
        return current.values().stream().filter(execution -> execution.getStatus().isRunning()).toList();
    }

    private boolean stopping(long jobExecutionId) {
        JobExecution job = jobRepository.getJobExecution(jobExecutionId);
        return job == null || job.getStatus() == BatchStatus.STOPPING || job.getStatus() == BatchStatus.STOPPED;
    }

    /**
     * Partitions whose worker's lease is lost are sent again, or, once the run is stopping,
     * marked STOPPED like those that no worker has taken.
     */
    private void watchLeases(Map<String, StepExecution> current, List<StepExecution> open, boolean stopping) {
        Map<Long, PartitionWorkers.Claim> claims = workers.claims(open.stream().map(StepExecution::getId).toList());
        Set<String> revoked = new HashSet<>();
        for (StepExecution execution : open) {
            PartitionWorkers.Claim claim = claims.get(execution.getId());
            if (claim == null) {
                if (stopping && end(execution, BatchStatus.STOPPED, "stopped on request before a worker took it")) {
                    log.info("{}: stopped before a worker took it", execution.getStepName());
                }
                continue;
            }
            String why;
            if (claim.lost(lease)) {
                if (!revoke(claim, revoked)) {
                    continue;
                }
                why = "its worker, " + claim.worker() + ", " + (claim.generation() == null ? "has no lease"
                        : "did not renew its lease for " + claim.age().toSeconds() + " s; its lease is revoked");
            }
            else if (execution.getStatus() == BatchStatus.STARTING && claim.held().compareTo(lease) >= 0) {
                // Taken, but its step never started there (its start failed, or its request was lost):
                // the worker lives on, only this partition is sent again.
                why = "its worker, " + claim.worker() + ", took it " + claim.held().toSeconds() + " s ago and did"
                        + " not start it";
            }
            else {
                continue;
            }
            if (stopping) {
                end(execution, BatchStatus.STOPPED, why + "; the run was stopping");
            }
            else if (end(execution, BatchStatus.FAILED, why + "; the partition is sent again")) {
                StepExecution again = again(execution);
                current.put(again.getStepName(), again);
                send(again);
                log.warn("{} (step execution {}): {}; the partition is sent again as step execution {}",
                        execution.getStepName(), execution.getId(), why, again.getId());
            }
        }
    }

    /** Revokes the claim's lease, once for all its partitions; false if its worker renewed it meanwhile. */
    private boolean revoke(PartitionWorkers.Claim claim, Set<String> revoked) {
        if (claim.generation() == null || claim.heartbeat() == null || revoked.contains(claim.leaseKey())) {
            return true;
        }
        if (leases.revoke(claim.leaseKey(), claim.generation(), claim.heartbeat())) {
            revoked.add(claim.leaseKey());
            return true;
        }
        return false;
    }

    /** A new step execution of the partition, in the same job execution, with the same context. */
    private StepExecution again(StepExecution lost) {
        StepExecution again = jobRepository.createStepExecution(lost.getStepName(), lost.getJobExecution());
        again.setExecutionContext(new ExecutionContext(lost.getExecutionContext()));
        jobRepository.updateExecutionContext(again);
        return again;
    }

    /** Ends the partitions not finished; false, ending none, if a worker renewed its lease meanwhile. */
    private boolean giveUp(List<StepExecution> open) {
        Map<Long, PartitionWorkers.Claim> claims = workers.claims(open.stream().map(StepExecution::getId).toList());
        Set<String> revoked = new HashSet<>();
        for (StepExecution execution : open) {
            PartitionWorkers.Claim claim = claims.get(execution.getId());
            if (claim != null && (!claim.lost(lease) || !revoke(claim, revoked))) {
                return false;
            }
        }
        String why = "no worker was alive for scale.worker-timeout (" + text(workerTimeout) + "); re-run the same"
                + " command to resume";
        log.error("{} partitions not finished: {}", open.size(), why);
        for (StepExecution execution : open) {
            end(execution, BatchStatus.FAILED, why);
        }
        return true;
    }

    /** Ends the partition's execution; false if its worker wrote it meanwhile (seen at the next poll). */
    private boolean end(StepExecution execution, BatchStatus status, String why) {
        execution.setStatus(status);
        execution.setExitStatus((status == BatchStatus.STOPPED ? ExitStatus.STOPPED : ExitStatus.FAILED)
                .addExitDescription(why));
        execution.setEndTime(LocalDateTime.now());
        try {
            jobRepository.update(execution);
            return true;
        }
        catch (OptimisticLockingFailureException raced) {
            return false;
        }
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
