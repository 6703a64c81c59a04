package io.cvimport.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.RowStatus;
import io.cvimport.reopen.Reopening;
import io.cvimport.sources.ExpandedRows;
import io.cvimport.sources.WholeResources;

/**
 * What the input's last run leaves this one to do, decided under the run lock: start the
 * job (the input never ran), resume its last execution after repairing what a crash left
 * ({@link ExecutionRepair}), start the next pass when rows of a finished one now have a way
 * out ({@link Passes}), or only report the finished run again.
 */
@Component
class LastRun {

    /** What the run does next. */
    sealed interface Next permits Answered, Start {
    }

    /** Nothing to run: the answer is given, with this exit code. */
    record Answered(ExitCode code) implements Next {
    }

    /** Start (or restart) the job with these parameters. */
    record Start(JobParameters parameters) implements Next {
    }

    private final JobAndRepository job;
    private final Reopening reopening;
    private final ExecutionRepair repair;
    private final RunSummary summary;
    private final ExpandedRows expandedRows;

    LastRun(JobAndRepository job, Reopening reopening, ExecutionRepair repair, RunSummary summary,
            ExpandedRows expandedRows) {
        this.expandedRows = expandedRows;
        this.job = job;
        this.reopening = reopening;
        this.repair = repair;
        this.summary = summary;
    }

    Next next(JobParameters first, PrintStream out) {
        Passes.Latest latest = job.latest(first);
        JobExecution last = latest.execution();
        if (last == null) {
            return new Start(latest.parameters());
        }
        List<String> adoptions = reopening.adoptionProblems(LedgerKey.of(last));
        if (!adoptions.isEmpty()) {
            adoptions.forEach(problem -> System.err.println("customvision-import: " + problem));
            return new Answered(ExitCode.USAGE);
        }
        if (last.getStatus() == BatchStatus.COMPLETED) {
            return finished(first, latest, last, out);
        }
        // We hold the run lock, so no live process owns any execution of this input.
        JobExecution repaired = repair.repair(last);
        out.println("Resuming execution " + repaired.getId() + " (" + repaired.getStatus() + ") of this input.");
        return new Start(latest.parameters());
    }

    /** The last pass finished: the next one reopens the rows that now have a way out, if any. */
    private Next finished(JobParameters first, Passes.Latest latest, JobExecution last, PrintStream out) {
        Path input = Path.of(Objects.requireNonNull(first.getString(ImportJobConfiguration.INPUT_PATH)));
        // Projects made on a whole source resource since: listed again by the next pass.
        Map<String, Long> reopen = WholeResources.relisted(reopening.plan(LedgerKey.of(last), input),
                expandedRows.wholeResources(LedgerKey.of(last)));
        if (!reopen.isEmpty()) {
            out.println("Execution " + last.getId() + " finished this input; " + Reopening.describe(reopen)
                    + " now have a way out: reopening them in pass " + (latest.pass() + 1) + ".");
            return new Start(Passes.next(first, latest.pass() + 1, LedgerKey.of(last)));
        }
        out.println("This input was already imported by execution " + last.getId() + " (finished "
                + RunSummary.time(last.getEndTime()) + "); nothing to do.");
        Map<RowStatus, Long> counts = summary.counts(last);
        int code = summary.recordedExitCode(last, counts);
        summary.print(out, last, counts, Duration.ZERO, code);
        return new Answered(ExitCode.of(code));
    }
}
