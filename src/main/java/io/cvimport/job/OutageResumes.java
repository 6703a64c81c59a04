package io.cvimport.job;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.cvimport.repository.RepositoryOutage;

/**
 * A load chunk's transaction cannot outlive its connection, so a short outage of the job
 * repository fails the execution even though the run could wait: the run resumes it at
 * once, as a re-run would, a few times at most, so that a flapping database cannot keep a
 * run going forever.
 */
@Component
class OutageResumes {

    private static final Logger log = LoggerFactory.getLogger(OutageResumes.class);
    private static final int OUTAGE_RESUMES = 3;

    private final ExecutionRepair repair;
    private final RepositoryOutage outage;

    OutageResumes(ExecutionRepair repair, RepositoryOutage outage) {
        this.repair = repair;
        this.outage = outage;
    }

    /**
     * Starts the job, and starts it again while it failed by a short outage.
     *
     * @param stopped whether the run was asked to stop (a signal, a lost lock): then it is not resumed
     */
    JobExecution run(Callable<JobExecution> start, BooleanSupplier stopped) throws Exception {
        JobExecution execution = start.call();
        for (int resumed = 0; resumed < OUTAGE_RESUMES && failedByShortOutage(execution, stopped); resumed++) {
            if (!repair.stillHoldsTheLock()) {
                // The outage may have ended the lock's session: another run may own the input now.
                log.error("execution {} failed while the job repository was unreachable, and another run took"
                        + " the input's lock meanwhile: not resuming; that run carries on", execution.getId());
                break;
            }
            log.warn("execution {} failed while the job repository was unreachable; it is back: resuming",
                    execution.getId());
            repair.repair(execution);
            execution = start.call();
        }
        return execution;
    }

    private boolean failedByShortOutage(JobExecution execution, BooleanSupplier stopped) {
        // UNKNOWN: the outage cut a chunk's commit after the step's record was updated in it.
        return (execution.getStatus() == BatchStatus.FAILED || execution.getStatus() == BatchStatus.UNKNOWN)
                && !stopped.getAsBoolean() && !outage.gaveUp()
                && execution.getAllFailureExceptions().stream().anyMatch(RepositoryOutage::isOutage);
    }
}
