package io.cvimport.job;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Stops the running execution of this process in memory: the running step is marked
 * terminate-only (a chunk step stops at its next chunk boundary, the import step when its
 * calls in progress are recorded) and the job is marked stopping, so no further step
 * starts. Unlike a stop through the job repository, this never races the running job's
 * own updates of its records.
 */
@Component
class RunControl implements JobExecutionListener {

    private volatile @Nullable JobExecution running;
    private volatile boolean stopRequested;

    @Override
    public void beforeJob(JobExecution jobExecution) {
        stopRequested = false;
        running = jobExecution;
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        running = null;
    }

    void stop() {
        stopRequested = true;
        JobExecution execution = running;
        if (execution == null) {
            return;
        }
        execution.upgradeStatus(BatchStatus.STOPPING);
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setTerminateOnly();
            }
        }
    }

    /** Whether this process asked the running execution to stop (a signal, a lost lock). */
    boolean stopRequested() {
        return stopRequested;
    }
}
