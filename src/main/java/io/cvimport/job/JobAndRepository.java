package io.cvimport.job;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** The import job, the operator that starts it and the repository that records its runs. */
@Component
record JobAndRepository(Job importJob, JobOperator operator, JobRepository repository) {

    private static final Logger log = LoggerFactory.getLogger(JobAndRepository.class);

    /** The newest pass of the input these parameters name (see {@link Passes}). */
    Passes.Latest latest(JobParameters first) {
        return Passes.latest(repository, importJob.getName(), first);
    }

    /** Starts the job, or restarts its last execution for these parameters; under the input's run lock. */
    JobExecution start(JobParameters parameters) throws Exception {
        JobInstance alone = repository.getJobInstance(importJob.getName(), parameters);
        if (alone != null && repository.getJobExecutions(alone).isEmpty()) {
            // Spring Batch creates an instance and its first execution in two transactions, and
            // refuses every later start of an instance it finds without one. Killed in between, the
            // start left an instance that never ran a step: no ledger row, no claim names it.
            log.warn("job instance {} of this input has no"
                    + " execution (a start was stopped before its first): it is made again", alone.getInstanceId());
            repository.deleteJobInstance(alone);
        }
        return operator.start(importJob, parameters);
    }

    /** The last execution of the input these parameters name, whatever its pass; null if it never ran. */
    @Nullable JobExecution last(JobParameters first) {
        return latest(first).execution();
    }
}
