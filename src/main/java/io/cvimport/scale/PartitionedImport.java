package io.cvimport.scale;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import io.cvimport.ledger.RunLockTable;
import io.cvimport.imports.sending.Sender;

/**
 * The import step split into {@code import.partitions} partitions by target: a manager step
 * that first gives finished rows their way out (once, for every partition), then starts one
 * execution of the worker step per partition with open rows: on threads of this process, or,
 * on a manager ({@code --scale.role=manager}), on workers that take the partitions' requests
 * from the broker, the manager waiting on the job repository for their ends. With one
 * partition in one process there is nothing to split and the job keeps its plain import step.
 */
public final class PartitionedImport {

    /** How often the manager looks in the job repository for its partitions' ends. */
    private static final long POLL_MILLIS = 250;

    private final int partitions;
    private final ScaleProperties scale;
    private final JobRepository jobRepository;
    private final Partitioner partitioner;
    private final PartitionRequests.@Nullable Sender requests;
    private final PartitionWorkers workers;
    private final RunLockTable leases;

    PartitionedImport(PartitionProperties properties, ScaleProperties scale, JobRepository jobRepository,
            Partitioner partitioner, PartitionRequests.@Nullable Sender requests, PartitionWorkers workers,
            RunLockTable leases) {
        this.partitions = properties.partitions();
        this.scale = scale;
        this.jobRepository = jobRepository;
        this.partitioner = partitioner;
        this.requests = requests;
        this.workers = workers;
        this.leases = leases;
    }

    /** Whether the import step is split: more than one partition, or partitions sent to workers. */
    public boolean enabled() {
        return partitions > 1 || scale.role() == ScaleProperties.Role.MANAGER;
    }

    /**
     * The partitioned step {@code name}; its partitions' executions are {@code name:partitionNofM}.
     *
     * @param reopen what the manager does before it splits (the import step's reopening)
     */
    public Step step(String name, Step worker, Consumer<JobExecution> reopen) throws Exception {
        StepExecutionListener reopening = new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                reopen.accept(stepExecution.getJobExecution());
            }

            @Override
            public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
                return null;
            }
        };
        if (scale.role() == ScaleProperties.Role.MANAGER && requests != null) {
            // Requests to the workers over the broker; their ends and their workers' leases read from the repository.
            LeasedPartitionHandler handler = new LeasedPartitionHandler(WorkerMessaging.STEP_NAME, requests,
                    jobRepository, workers, leases, scale, POLL_MILLIS);
            handler.setGridSize(partitions);
            return partitionedStep(name, reopening, handler);
        }
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("import-partition-");
        threads.setConcurrencyLimit(partitions);
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(worker);
        handler.setTaskExecutor(threads);
        handler.setGridSize(partitions);
        handler.afterPropertiesSet();
        return partitionedStep(name, reopening, handler);
    }

    private Step partitionedStep(String name, StepExecutionListener reopening, PartitionHandler handler) {
        return new StepBuilder(name, jobRepository)
                .listener(reopening)
                .partitioner(name, partitioner)
                .partitionHandler(handler)
                // Like the plain import step, it runs on every restart; its partitioner says which have work.
                .allowStartIfComplete(true)
                .build();
    }
}
