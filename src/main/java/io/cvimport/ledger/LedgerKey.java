package io.cvimport.ledger;

import org.springframework.batch.core.job.JobExecution;

/**
 * Which ledger an execution works on. An input's ledger is keyed by the job instance of
 * its first pass; a later pass (a new job instance, started to reopen rows of a finished
 * one) carries that key as a job parameter, so that every pass works the same rows and
 * their history is kept.
 */
public final class LedgerKey {

    /** The job parameter naming the ledger of a later pass. */
    public static final String PARAMETER = "ledger";

    private LedgerKey() {
    }

    public static long of(JobExecution execution) {
        Long ledger = execution.getJobParameters().getLong(PARAMETER);
        return ledger != null ? ledger : execution.getJobInstance().getInstanceId();
    }
}
