package io.cvimport.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * What the job tests not yet on {@link JobFixture} share: an emulator of their own, outcomes;
 * the job's parameters and tokens are the fixture's. They move onto the fixture one by one.
 */
final class JobRuns {

    private JobRuns() {
    }

    /** Wraps an execution: the batch test listeners take any method returning one for a factory. */
    record Run(JobExecution execution) {
    }

    /** A test class's emulator, set up once (its keys, its links), started before the class's context. */
    static CustomVisionEmulator emulator(UnaryOperator<CustomVisionEmulator> setUp) {
        try {
            return setUp.apply(new CustomVisionEmulator());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JobParameters parameters(Path input, String report) {
        return JobFixture.parameters(input, report);
    }

    static String token(String scope, String name) {
        return JobFixture.token(scope, name);
    }

    /** Each row's status as the ledger holds it, by row number. */
    static Map<Long, RowStatus> statuses(ImportLedger ledger, JobExecution execution) {
        Map<Long, RowStatus> statuses = new LinkedHashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), o -> statuses.put(o.rowNo(), o.status()));
        return statuses;
    }
}
