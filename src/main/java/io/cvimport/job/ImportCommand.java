package io.cvimport.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

import io.cvimport.imports.ImportTasklet;
import io.cvimport.imports.Reopening;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputFormatException;
import io.cvimport.input.InputStructureException;
import io.cvimport.logging.AnswerOnStdout;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.RowStatus;
import io.cvimport.metrics.MetricsFile;
import io.cvimport.plan.PlanCommand;
import io.cvimport.repository.RepositoryOutage;
import io.cvimport.sources.ExpandedRows;
import io.cvimport.sources.WholeResources;

/**
 * The command line: {@code --input=FILE [options]}. Starts the job for the input, or
 * restarts it where the last run stopped, or (when the last run finished) reports that
 * run again; and turns the result into an exit code.
 */
@Component
// A worker (--scale.role=worker) runs no command: it runs the partitions it receives.
@ConditionalOnExpression("${import.command:true} and '${scale.role:single}' != 'worker'")
class ImportCommand implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(ImportCommand.class);
    /** Resumes in one run after short outages, so that a flapping database cannot keep a run going forever. */
    private static final int OUTAGE_RESUMES = 3;
    private static final RunExitCodeMapper EXIT_CODES = new RunExitCodeMapper();

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job importJob;
    private final RunSummary summary;
    private final MetricsFile metricsFile;
    private final PastRuns pastRuns;
    private final RunLocks locks;
    private final ImportTasklet importTasklet;
    private final Reopening reopening;
    private final RunControl runControl;
    private final ExecutionRepair repair;
    private final RepositoryOutage outage;
    private final PlanCommand plan;
    private final StopRequest stopRequest;
    private final ExpandedRows expandedRows;
    private final PrintStream out = AnswerOnStdout.answer(); // for --status, --plan, --report-of: theirs alone
    private volatile boolean stopRequested;
    /** Another run took this run's lock over: nothing is resumed any more. */
    private volatile boolean lockLost;
    private int exitCode = ExitCode.JOB_FAILED.code();

    ImportCommand(JobOperator jobOperator, JobRepository jobRepository, Job importJob, RunSummary summary,
            MetricsFile metricsFile, PastRuns pastRuns, RunLocks locks,
            ImportTasklet importTasklet, RunControl runControl, Reopening reopening,
            ExecutionRepair repair, RepositoryOutage outage, PlanCommand plan, StopRequest stopRequest,
            ExpandedRows expandedRows) {
        this.expandedRows = expandedRows;
        this.reopening = reopening;
        this.plan = plan;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.importJob = importJob;
        this.summary = summary;
        this.metricsFile = metricsFile;
        this.pastRuns = pastRuns;
        this.locks = locks;
        this.importTasklet = importTasklet;
        this.runControl = runControl;
        this.repair = repair;
        this.outage = outage;
        this.stopRequest = stopRequest;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        exitCode = execute(args).code();
    }

    private ExitCode execute(ApplicationArguments args) throws Exception {
        // Unknown options and bad values never get here: io.cvimport.cli refused them before Spring started.
        String inputOption = single(args, "input");
        String format = Objects.requireNonNullElse(single(args, "format"), "text");
        if (!List.of("text", "json").contains(format)) {
            return usage("--format=" + format + ": takes text or json");
        }
        boolean json = format.equals("json");
        if (args.containsOption("stop")) {
            // Asks through the job repository: the running job holds the lock, and nothing runs here.
            return stopRequest.request(out, inputOption == null ? null : Path.of(inputOption).toAbsolutePath().normalize());
        }
        if (args.containsOption("status")) {
            return pastRuns.list(out, inputOption == null ? null : Path.of(inputOption).toAbsolutePath().normalize(),
                    json);
        }
        if (args.containsOption("report-of")) {
            String report = single(args, "report");
            try {
                return pastRuns.reportOf(out, Long.parseLong(String.valueOf(single(args, "report-of"))),
                        report == null ? null : Path.of(report), json);
            }
            catch (NumberFormatException e) {
                return usage("--report-of takes an execution id");
            }
        }
        if (inputOption == null) {
            return usage("--input=FILE is required");
        }
        InputFile input;
        String hash;
        Path inputPath = Path.of(inputOption).toAbsolutePath().normalize();
        try {
            input = InputFile.check(inputPath);
            hash = input.contentHash();
        }
        catch (InputStructureException e) {
            // Before any job exists: a broken file leaves no execution to resume.
            System.err.println("customvision-import: input " + inputPath + ", " + e.getMessage());
            return ExitCode.USAGE;
        }
        catch (InputFormatException e) {
            return usage(e.getMessage());
        }
        warnIfShared(input.path());
        JobParameters parameters = new JobParametersBuilder()
                .addString(ImportJobConfiguration.INPUT_PATH, input.path().toString(), true)
                .addString(ImportJobConfiguration.INPUT_HASH, hash, true)
                .addString(ImportJobConfiguration.REPORT, String.valueOf(single(args, "report") == null ? ""
                        : Path.of(single(args, "report")).toAbsolutePath()), false)
                .toJobParameters();
        if (args.containsOption("plan")) {
            // No job, no run lock: a plan is not a run (see PlanCommand); it reads the input's last run.
            JobExecution last = Passes.latest(jobRepository, importJob.getName(), parameters).execution();
            return ExitCode.of(plan.run(out, input, single(args, "report"), json,
                    last == null ? null : LedgerKey.of(last)));
        }
        RunLocks.Attempt attempt = locks.tryAcquire("input:" + hash);
        if (attempt.lock() == null) {
            System.err.println("customvision-import: another run of " + input.path() + " is in progress ("
                    + attempt.heldBy() + ")");
            return ExitCode.ALREADY_RUNNING;
        }
        try (RunLock lock = attempt.lock()) {
            return lock.holdWhile(() -> runUnderLock(parameters), this::stopForLostLock);
        }
        catch (RuntimeException e) {
            if (!outage.gaveUp()) {
                throw e;
            }
            System.err.println("customvision-import: " + outage.message());
            return ExitCode.JOB_FAILED;
        }
    }

    private ExitCode runUnderLock(JobParameters first) throws Exception {
        Passes.Latest latest = Passes.latest(jobRepository, importJob.getName(), first);
        JobExecution last = latest.execution();
        JobParameters parameters = latest.parameters();
        List<String> adoptions = last == null ? List.of() : reopening.adoptionProblems(LedgerKey.of(last));
        if (!adoptions.isEmpty()) {
            adoptions.forEach(problem -> System.err.println("customvision-import: " + problem));
            return ExitCode.USAGE;
        }
        Map<String, Long> reopen = last != null && last.getStatus() == BatchStatus.COMPLETED
                ? reopening.plan(LedgerKey.of(last), Path.of(String.valueOf(
                        first.getString(ImportJobConfiguration.INPUT_PATH))))
                : Map.of();
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            // Projects made on a whole source resource since: listed again by the next pass.
            reopen = WholeResources.relisted(reopen, expandedRows.wholeResources(LedgerKey.of(last)));
        }
        if (!reopen.isEmpty() && last != null) {
            out.println("Execution " + last.getId() + " finished this input; " + Reopening.describe(reopen)
                    + " now have a way out: reopening them in pass " + (latest.pass() + 1) + ".");
            parameters = Passes.next(first, latest.pass() + 1, LedgerKey.of(last));
            last = null;
        }
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            out.println("This input was already imported by execution " + last.getId() + " (finished "
                    + RunSummary.time(last.getEndTime()) + "); nothing to do.");
            Map<RowStatus, Long> counts = summary.counts(last);
            int code = summary.recordedExitCode(last, counts);
            summary.print(out, last, counts, Duration.ZERO, code);
            return ExitCode.of(code);
        }
        if (last != null) {
            // We hold the run lock, so no live process owns any execution of this input.
            last = repair.repair(last);
            out.println("Resuming execution " + last.getId() + " (" + last.getStatus() + ") of this input.");
        }
        long started = System.nanoTime();
        JobExecution execution;
        try (SignalStop ignored = SignalStop.install(this::requestStop)) {
            execution = jobOperator.start(importJob, parameters);
            for (int resumed = 0; resumed < OUTAGE_RESUMES && failedByShortOutage(execution); resumed++) {
                if (!repair.stillHoldsTheLock()) {
                    // The outage may have ended the lock's session: another run may own the input now.
                    lockLost = true;
                    log.error("execution {} failed while the job repository was unreachable, and another run took"
                            + " the input's lock meanwhile: not resuming; that run carries on", execution.getId());
                    break;
                }
                log.warn("execution {} failed while the job repository was unreachable; it is back: resuming",
                        execution.getId());
                repair.repair(execution);
                execution = jobOperator.start(importJob, parameters);
            }
        }
        return summarize(execution, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * A load chunk's transaction cannot outlive its connection, so a short outage fails the
     * execution even though the run could wait: the run resumes it at once, as a re-run would.
     */
    private boolean failedByShortOutage(JobExecution execution) {
        // UNKNOWN: the outage cut a chunk's commit after the step's record was updated in it.
        return (execution.getStatus() == BatchStatus.FAILED || execution.getStatus() == BatchStatus.UNKNOWN)
                && !stopRequested && !lockLost && !outage.gaveUp()
                && execution.getAllFailureExceptions().stream().anyMatch(RepositoryOutage::isOutage);
    }

    /** SIGTERM or SIGINT: stop at the next boundary, leaving the run restartable. */
    private void requestStop() {
        stopRequested = true;
        log.warn("stop requested: finishing calls in progress, then stopping; re-run the same command to resume");
        importTasklet.stop();
        runControl.stop();
    }

    /** Another run took the lock over (this one was frozen, or cut from the database): stop sending. */
    private void stopForLostLock() {
        lockLost = true;
        importTasklet.stop();
        runControl.stop();
    }

    private ExitCode summarize(JobExecution execution, Duration took) {
        Map<RowStatus, Long> counts = summary.counts(execution);
        ExitCode code = EXIT_CODES.exitCodeOf(execution.getExitStatus());
        summary.print(out, execution, counts, took, code.code());
        metricsFile.write(counts, code.code(), took);
        return code;
    }

    private static void warnIfShared(Path input) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(input);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} is readable by group or others, and it holds training keys (chmod 600 it)", input);
            }
        }
        catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot read the input's permissions: {}", e.toString());
        }
    }

    private static @Nullable String single(ApplicationArguments args, String name) {
        List<String> values = args.getOptionValues(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private ExitCode usage(String problem) {
        System.err.println("customvision-import: " + problem);
        System.err.println("usage: java -jar customvision-import.jar --input=FILE [--report=FILE] [options]");
        System.err.println("       java -jar customvision-import.jar --plan --input=FILE [--report=FILE] [options]");
        System.err.println("       java -jar customvision-import.jar --status [--input=FILE]");
        System.err.println("       java -jar customvision-import.jar --stop [--input=FILE]");
        System.err.println("       java -jar customvision-import.jar --report-of=EXECUTION_ID [--report=FILE]");
        return ExitCode.USAGE;
    }
}
