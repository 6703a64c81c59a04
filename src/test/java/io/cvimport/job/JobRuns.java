package io.cvimport.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.input.InputFile;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/** What the tests of the whole job share: their emulator, the job's parameters for an input, tokens, outcomes. */
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

    /** The parameters the command gives the job for this input (its path and hash identify it). */
    static JobParameters parameters(Path input, String report) {
        return new JobParametersBuilder()
                .addString(ImportJobConfiguration.INPUT_PATH, input.toString(), true)
                .addString(ImportJobConfiguration.INPUT_HASH, InputFile.open(input).contentHash(), true)
                .addString(ImportJobConfiguration.REPORT, report, false)
                .toJobParameters();
    }

    /**
     * An export token of its own for each scope and name: an emulator can outlive a test class
     * (the H2 and PostgreSQL runs of a class share one) and counts imports per token.
     */
    static String token(String scope, String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + scope + "/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=" + name.hashCode() + "abc%2Bdef%3D";
    }

    /** Each row's status as the ledger holds it, by row number. */
    static Map<Long, RowStatus> statuses(ImportLedger ledger, JobExecution execution) {
        Map<Long, RowStatus> statuses = new LinkedHashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), o -> statuses.put(o.rowNo(), o.status()));
        return statuses;
    }
}
