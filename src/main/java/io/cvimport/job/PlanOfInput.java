package io.cvimport.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.LedgerKey;
import io.cvimport.plan.PlanCommand;

/**
 * {@code --plan --input=FILE}: no job, no run lock; a plan is not a run (see
 * {@link PlanCommand}). It reads the ledger of the input's last run, when it ran.
 */
@Component
class PlanOfInput {

    private final JobAndRepository job;
    private final PlanCommand plan;

    PlanOfInput(JobAndRepository job, PlanCommand plan) {
        this.job = job;
        this.plan = plan;
    }

    ExitCode run(Invocation invocation, RunInput input) throws InterruptedException {
        JobExecution last = job.last(input.parameters());
        return ExitCode.of(plan.run(invocation.out(), input.file(), invocation.single("report"), invocation.json(),
                last == null ? null : LedgerKey.of(last)));
    }
}
