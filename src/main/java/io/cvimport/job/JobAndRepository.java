package io.cvimport.job;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** The import job, the operator that starts it and the repository that records its runs. */
@Component
record JobAndRepository(Job importJob, JobOperator operator, JobRepository repository) {

    /** The newest pass of the input these parameters name (see {@link Passes}). */
    Passes.Latest latest(JobParameters first) {
        return Passes.latest(repository, importJob.getName(), first);
    }

    /** Starts the job, or restarts its last execution for these parameters. */
    JobExecution start(JobParameters parameters) throws Exception {
        return operator.start(importJob, parameters);
    }

    /** The last execution of the input these parameters name, whatever its pass; null if it never ran. */
    @Nullable JobExecution last(JobParameters first) {
        return latest(first).execution();
    }
}
