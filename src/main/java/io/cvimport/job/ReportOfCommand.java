package io.cvimport.job;

import static io.cvimport.job.ImportJobConfiguration.inputOf;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.cvimport.input.InputFile;
import io.cvimport.input.InputFormatException;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.RowStatus;
import io.cvimport.report.ReportWriter;
import io.cvimport.repository.RepositoryInUse;

/**
 * {@code --report-of=ID [--report=FILE]}: one execution's summary, from the job repository,
 * and its report written again from the ledger as it is now; nothing is run.
 */
@Component
class ReportOfCommand {

    private final JobRepository jobRepository;
    private final ImportLedger ledger;
    private final RunSummary summary;
    private final RepositoryInUse repository;

    ReportOfCommand(JobRepository jobRepository, ImportLedger ledger, RunSummary summary, RepositoryInUse repository) {
        this.jobRepository = jobRepository;
        this.ledger = ledger;
        this.summary = summary;
        this.repository = repository;
    }

    ExitCode run(Invocation invocation) {
        String report = invocation.single("report");
        try {
            return reportOf(invocation.out(), Long.parseLong(String.valueOf(invocation.single("report-of"))),
                    report == null ? null : Path.of(report), invocation.json());
        }
        catch (NumberFormatException e) {
            return Invocation.usage("--report-of takes an execution id");
        }
    }

    private ExitCode reportOf(PrintStream out, long executionId, @Nullable Path reportOption, boolean json) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(executionId);
        }
        catch (org.springframework.dao.EmptyResultDataAccessException unknown) {
            execution = null;
        }
        if (execution == null) {
            System.err.println("customvision-import: no execution " + executionId + " in the job repository "
                    + repository.describe());
            return ExitCode.USAGE;
        }
        long instance = LedgerKey.of(execution);
        Path report = reportOption != null ? reportOption
                : Path.of("reports", "execution-" + executionId + "-as-of-now.csv");
        long rows = new ReportWriter(ledger).write(instance, extraColumns(execution, instance), report);
        Map<RowStatus, Long> counts = summary.counts(execution);
        int code = summary.recordedExitCode(execution, counts);
        if (json) {
            JsonAnswer.print(out, new RunEntry.ReportOf(executionId, execution.getStatus().name(),
                    summary.recordedWord(execution, counts), code, counts, inputOf(execution),
                    report.toAbsolutePath().toString(), rows, repository.describe()));
            return ExitCode.OK;
        }
        summary.print(out, execution, counts, Duration.ZERO, code);
        out.println("  outcomes of its " + rows + " rows, as the ledger has them now: " + report.toAbsolutePath());
        return ExitCode.OK;
    }

    /** The input's extra column names, or neutral names if the input is gone. */
    private List<String> extraColumns(JobExecution execution, long instance) {
        String input = inputOf(execution);
        if (input != null && Files.isReadable(Path.of(input))) {
            try {
                return InputFile.open(Path.of(input)).extraColumns();
            }
            catch (InputFormatException gone) {
                // fall through
            }
        }
        int[] widest = { 0 };
        ledger.forEachOutcome(instance, outcome -> {
            if (outcome.extras() != null) {
                widest[0] = Math.max(widest[0], outcome.extras().split(",", -1).length);
            }
        });
        return IntStream.rangeClosed(1, widest[0]).mapToObj(i -> "extra" + i).toList();
    }
}
