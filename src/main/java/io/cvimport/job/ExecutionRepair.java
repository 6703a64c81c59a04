package io.cvimport.job;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LockLostException;

/**
 * Puts an input's past executions back into a state the next run can take, whatever a
 * crash or a database outage left behind: an execution still running or stopping, one
 * UNKNOWN (its last update could not be written), steps still running under a finished
 * execution, records without an end time. Runs under the input's run lock, so no live
 * process owns any of them. Repairs with Spring Batch's own means (recover, then
 * JobRepository updates), marks what it repairs as FAILED so that the job restarts
 * there, logs it, and never deletes a record.
 */
@Component
class ExecutionRepair {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRepair.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final ImportLedger ledger;

    ExecutionRepair(JobRepository jobRepository, JobOperator jobOperator, ImportLedger ledger) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.ledger = ledger;
    }

    /**
     * Whether this run's lock is still its own in the lock table (always true for a job
     * started without one). Only then may it repair: the executions of a run that took the
     * lock over are alive.
     */
    boolean stillHoldsTheLock() {
        try {
            ledger.checkFence();
            return true;
        }
        catch (LockLostException e) {
            return false;
        }
    }

    /** Repairs every execution of the last one's job instance; returns the last execution as now recorded. */
    JobExecution repair(JobExecution last) {
        for (JobExecution execution : jobRepository.getJobExecutions(last.getJobInstance())) {
            repairWritingMeanwhile(execution);
        }
        JobExecution now = jobRepository.getLastJobExecution(last.getJobInstance());
        return now != null ? now : last;
    }

    /**
     * Repairs one execution. A remote worker that outlived its manager may still write its
     * partition's step execution while it is repaired ("wrong version"): the execution is read
     * again and repaired from what the worker wrote, a few times at most.
     */
    private void repairWritingMeanwhile(JobExecution execution) {
        JobExecution current = execution;
        for (int tries = 1;; tries++) {
            try {
                repairOne(current);
                return;
            }
            catch (OptimisticLockingFailureException writtenMeanwhile) {
                JobExecution reread = jobRepository.getJobExecution(current.getId());
                if (tries == MAX_TRIES || reread == null) {
                    throw writtenMeanwhile;
                }
                current = reread;
            }
        }
    }

    private void repairOne(JobExecution recorded) {
        JobExecution execution = recorded;
        List<String> repaired = new ArrayList<>();
        if (execution.getStatus().isRunning()) {
            repaired.add("job " + execution.getStatus());
            execution = jobOperator.recover(execution);
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (stale(step.getStatus()) || step.getEndTime() == null) {
                repaired.add("step " + step.getStepName() + " " + step.getStatus()
                        + (step.getEndTime() == null ? " without end" : ""));
                repairStep(step);
            }
        }
        if (stale(execution.getStatus()) || execution.getEndTime() == null) {
            repaired.add("job " + execution.getStatus() + (execution.getEndTime() == null ? " without end" : ""));
            repairJob(execution);
        }
        if (!repaired.isEmpty()) {
            log.warn("execution {} was left inconsistent by a run that is gone ({}); repaired: now {}",
                    execution.getId(), String.join(", ", repaired), execution.getStatus());
        }
    }

    private void repairStep(StepExecution step) {
        if (stale(step.getStatus())) {
            String was = step.getStatus().name();
            step.setStatus(BatchStatus.FAILED);
            step.setExitStatus(ExitStatus.FAILED.addExitDescription("left " + was + " by a run that is gone"));
        }
        if (step.getEndTime() == null) {
            step.setEndTime(endOf(step.getLastUpdated()));
        }
        jobRepository.update(step);
    }

    private void repairJob(JobExecution execution) {
        if (stale(execution.getStatus())) {
            String was = execution.getStatus().name();
            execution.setStatus(BatchStatus.FAILED);
            execution.setExitStatus(ExitStatus.FAILED.addExitDescription("left " + was + " by a run that is gone"));
        }
        if (execution.getEndTime() == null) {
            execution.setEndTime(endOf(execution.getLastUpdated()));
        }
        jobRepository.update(execution);
    }

    /** How often an execution written meanwhile by a worker is read again and repaired. */
    private static final int MAX_TRIES = 3;

    /** Running (nobody runs it: we hold the lock) or UNKNOWN (Spring Batch refuses to restart from it). */
    private static boolean stale(BatchStatus status) {
        return status.isRunning() || status == BatchStatus.UNKNOWN;
    }

    /** The last sign of life is the best end time there is. */
    private static LocalDateTime endOf(@Nullable LocalDateTime lastUpdated) {
        return lastUpdated != null ? lastUpdated : LocalDateTime.now();
    }
}
