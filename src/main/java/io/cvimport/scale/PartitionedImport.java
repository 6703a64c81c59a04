package io.cvimport.scale;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The import step split into {@code import.partitions} partitions by target: a manager step
 * that first gives finished rows their way out (once, for every partition), then starts one
 * execution of the worker step per partition with open rows, on threads of this process.
 * With one partition there is nothing to split and the job keeps its plain import step.
 */
public final class PartitionedImport {

    private final int partitions;
    private final JobRepository jobRepository;
    private final Partitioner partitioner;

    PartitionedImport(PartitionProperties properties, JobRepository jobRepository, Partitioner partitioner) {
        this.partitions = properties.partitions();
        this.jobRepository = jobRepository;
        this.partitioner = partitioner;
    }

    public boolean enabled() {
        return partitions > 1;
    }

    /**
     * The partitioned step {@code name}; its partitions' executions are {@code name:partitionNofM}.
     *
     * @param reopen what the manager does before it splits (the import step's reopening)
     */
    public Step step(String name, Step worker, Consumer<JobExecution> reopen) throws Exception {
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("import-partition-");
        threads.setConcurrencyLimit(partitions);
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(worker);
        handler.setTaskExecutor(threads);
        handler.setGridSize(partitions);
        handler.afterPropertiesSet();
        return new StepBuilder(name, jobRepository)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        reopen.accept(stepExecution.getJobExecution());
                    }

                    @Override
                    public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
                        return null;
                    }
                })
                .partitioner(name, partitioner)
                .partitionHandler(handler)
                // Like the plain import step: it runs on every restart, and its partitioner says which partitions still have work.
                .allowStartIfComplete(true)
                .build();
    }
}
