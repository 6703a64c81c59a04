package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A remote worker that outlived its manager writes its partition's step execution while the
 * next manager repairs the execution: the repair reads it again and repairs what the worker
 * wrote, instead of failing the start with "wrong version" (RemotePartitioningPostgresIT's
 * killed manager, 2 CI runs of 3).
 */
class ExecutionRepairRaceTest extends JobFixture {

    @Autowired
    JobOperator jobOperator;

    @Test
    void aStepWrittenMeanwhileByItsWorkerIsRepairedFromWhatTheWorkerWrote() throws Exception {
        Path input = input("race", "token,region,key", List.of());
        JobInstance instance = repository.createJobInstance(jobs.getJob().getName(), parameters(input, ""));
        JobExecution execution = repository.createJobExecution(instance, parameters(input, ""), new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now());
        repository.update(execution);
        StepExecution partition = repository.createStepExecution("import:partition0", execution);
        partition.setStatus(BatchStatus.STARTED);
        partition.setStartTime(LocalDateTime.now());
        repository.update(partition);

        AtomicBoolean workerWrote = new AtomicBoolean();
        JobRepository racing = (JobRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { JobRepository.class }, (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(repository, args);
                    }
                    catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("getJobExecutions") && workerWrote.compareAndSet(false, true)) {
                        // The worker's round, just after the repair read the executions: its own copy
                        // of the partition's step execution, written with one more row.
                        StepExecution workers = repository.getStepExecution(partition.getId());
                        workers.setWriteCount(workers.getWriteCount() + 1);
                        repository.update(workers);
                    }
                    return answer;
                });
        ExecutionRepair repair = new ExecutionRepair(racing, jobOperator, ledger);

        repair.repair(execution);

        assertThat(workerWrote).isTrue();
        StepExecution after = repository.getStepExecution(partition.getId());
        assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(after.getEndTime()).isNotNull();
        assertThat(after.getWriteCount()).as("what the worker wrote is kept").isEqualTo(1);
        assertThat(repository.getJobExecution(execution.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
    }
}
