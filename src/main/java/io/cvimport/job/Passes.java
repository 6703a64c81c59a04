package io.cvimport.job;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

import io.cvimport.ledger.LedgerKey;

/**
 * An input's job is a sequence of passes. Spring Batch never restarts a COMPLETED job
 * instance, so when rows of a finished pass get a way out (a fixed key, an operator's
 * option), the same command starts the next pass: a new job instance, identified by the
 * input and the pass number, that works the first pass's ledger.
 */
final class Passes {

    /** The newest pass of an input and its last execution (null: the input never ran). */
    record Latest(JobParameters parameters, int pass, @Nullable JobExecution execution) {
    }

    private Passes() {
    }

    static Latest latest(JobRepository jobRepository, String jobName, JobParameters first) {
        JobExecution last = jobRepository.getLastJobExecution(jobName, first);
        Latest latest = new Latest(first, 1, last);
        while (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            JobParameters next = next(first, latest.pass() + 1, LedgerKey.of(last));
            last = jobRepository.getLastJobExecution(jobName, next);
            if (last == null) {
                break;
            }
            latest = new Latest(next, latest.pass() + 1, last);
        }
        return latest;
    }

    static JobParameters next(JobParameters first, int pass, long ledger) {
        return new JobParametersBuilder(first)
                .addLong(ImportJobConfiguration.PASS, (long) pass, true)
                .addLong(LedgerKey.PARAMETER, ledger, false)
                .toJobParameters();
    }
}
