package io.cvimport.scale;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * Whether this worker runs a partition's request: only a step execution that no one has
 * started yet, and only once it has claimed it for its lease. The broker may deliver a
 * request again (its worker died holding it), or deliver one the manager has given up or
 * sent again as a new step execution: those are dropped, and the manager, which watches
 * the leases, is the one that sends a dead worker's partition again.
 */
final class PartitionAdmission {

    private static final Logger log = LoggerFactory.getLogger(PartitionAdmission.class);

    private final JobRepository jobRepository;
    private final PartitionWorkers workers;
    private final WorkerLease lease;

    PartitionAdmission(JobRepository jobRepository, PartitionWorkers workers, WorkerLease lease) {
        this.jobRepository = jobRepository;
        this.workers = workers;
        this.lease = lease;
    }

    boolean admit(StepExecutionRequest request) {
        long id = request.getStepExecutionId();
        @Nullable StepExecution execution = jobRepository.getStepExecution(id);
        if (execution == null) {
            log.warn("step execution {} is not in the job repository: its request is dropped", id);
            return false;
        }
        if (execution.getStatus() != BatchStatus.STARTING) {
            log.info("{} (step execution {}) is {} already: its request is dropped here", execution.getStepName(), id,
                    execution.getStatus());
            return false;
        }
        if (!workers.take(id, lease.key(), lease.worker())) {
            log.info("{} (step execution {}) was taken by another worker: its request is dropped here",
                    execution.getStepName(), id);
            return false;
        }
        return true;
    }
}
