package io.cvimport.job;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.RowStatus;
import io.cvimport.metrics.MetricsFile;

/** How a run's end is told: its exit code, its summary on stdout, its metrics file. */
@Component
record RunEnd(RunSummary summary, MetricsFile metricsFile) {

    private static final RunExitCodeMapper EXIT_CODES = new RunExitCodeMapper();

    ExitCode tell(PrintStream out, JobExecution execution, Duration took) {
        Map<RowStatus, Long> counts = summary.counts(execution);
        ExitCode code = EXIT_CODES.exitCodeOf(execution.getExitStatus());
        summary.print(out, execution, counts, took, code.code());
        metricsFile.write(counts, code.code(), took);
        return code;
    }
}
