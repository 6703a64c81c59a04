package io.cvimport.job;

import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.RowStatus;

/**
 * Sets the job's exit status from its rows when it ends, before Spring Batch records the
 * execution for the last time: past runs and the exit code are read from it.
 */
@Component
class RunExitStatus implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunExitStatus.class);

    private final Function<JobExecution, Map<RowStatus, Long>> counts;
    private final RunControl runControl;

    @Autowired
    RunExitStatus(RunSummary summary, RunControl runControl) {
        this(summary::counts, runControl);
    }

    /** With the rows counted some other way: for tests without a ledger. */
    RunExitStatus(Function<JobExecution, Map<RowStatus, Long>> counts, RunControl runControl) {
        this.counts = counts;
        this.runControl = runControl;
    }

    @Override
    public void afterJob(JobExecution execution) {
        ExitStatus status;
        try {
            status = RunOutcome.of(execution, counts.apply(execution), runControl.stopRequested());
        }
        catch (RuntimeException e) {
            // Without the rows there is no telling whether the run is done: 1, run it again.
            log.warn("cannot count the rows of execution {}: {}", execution.getId(), e.toString());
            status = new ExitStatus(ExitCode.JOB_FAILED.word(), "rows not countable: " + e.getClass().getSimpleName());
        }
        execution.setExitStatus(status);
    }
}
