package io.cvimport.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import io.cvimport.imports.ImportTasklet;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputFormatException;
import io.cvimport.ledger.RowStatus;
import io.cvimport.metrics.MetricsFile;

/**
 * The command line: {@code --input=FILE [options]}. Starts the job for the input, or
 * restarts it where the last run stopped, or (when the last run finished) reports that
 * run again; and turns the result into an exit code.
 */
@Component
@ConditionalOnProperty(name = "import.command", havingValue = "true", matchIfMissing = true)
class ImportCommand implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(ImportCommand.class);
    private static final Set<String> OPTIONS = Set.of("input", "report", "status", "report-of", "repository");
    private static final List<String> OPTION_PREFIXES = List.of("customvision.", "import.", "metrics.", "spring.",
            "logging.",
            "debug", "trace");

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job importJob;
    private final RunSummary summary;
    private final MetricsFile metricsFile;
    private final PastRuns pastRuns;
    private final JdbcLockRegistry locks;
    private final ImportTasklet importTasklet;
    private final RunControl runControl;
    private final Duration lockTtl;
    private final PrintStream out = System.out;
    private volatile boolean stopRequested;
    private int exitCode = ExitCode.JOB_FAILED.code();

    ImportCommand(JobOperator jobOperator, JobRepository jobRepository, Job importJob, RunSummary summary,
            MetricsFile metricsFile, PastRuns pastRuns, JdbcLockRegistry locks,
            ImportTasklet importTasklet, RunControl runControl,
            @Value("${" + RunLockConfiguration.TTL + "}") Duration lockTtl) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.importJob = importJob;
        this.summary = summary;
        this.metricsFile = metricsFile;
        this.pastRuns = pastRuns;
        this.locks = locks;
        this.importTasklet = importTasklet;
        this.runControl = runControl;
        this.lockTtl = lockTtl;
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
        String unknown = args.getOptionNames().stream()
                .filter(name -> !OPTIONS.contains(name) && OPTION_PREFIXES.stream().noneMatch(name::startsWith))
                .findFirst().orElse(null);
        if (unknown != null || !args.getNonOptionArgs().isEmpty()) {
            return usage(unknown != null ? "unknown option --" + unknown
                    : "unexpected argument " + args.getNonOptionArgs().get(0));
        }
        String inputOption = single(args, "input");
        if (args.containsOption("status")) {
            return pastRuns.list(out, inputOption == null ? null : Path.of(inputOption).toAbsolutePath().normalize());
        }
        if (args.containsOption("report-of")) {
            String report = single(args, "report");
            try {
                return pastRuns.reportOf(out, Long.parseLong(String.valueOf(single(args, "report-of"))),
                        report == null ? null : Path.of(report));
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
        try {
            input = InputFile.open(Path.of(inputOption).toAbsolutePath().normalize());
            hash = input.contentHash();
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
        try (RunLock lock = RunLock.tryAcquire(locks, "input:" + hash, lockTtl)) {
            if (lock == null) {
                System.err.println("customvision-import: another run of " + input.path()
                        + " is in progress (if it was killed, its lock expires within " + lockTtl.toSeconds() + " s)");
                return ExitCode.ALREADY_RUNNING;
            }
            return lock.holdWhile(() -> runUnderLock(parameters));
        }
    }

    private ExitCode runUnderLock(JobParameters parameters) throws Exception {
        JobExecution last = jobRepository.getLastJobExecution(importJob.getName(), parameters);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            out.println("This input was already imported by execution " + last.getId() + " (finished "
                    + last.getEndTime() + "); nothing to do.");
            Map<RowStatus, Long> counts = summary.counts(last);
            int code = summary.recordedExitCode(last, counts);
            summary.print(out, last, counts, Duration.ZERO, code);
            return ExitCode.of(code);
        }
        if (last != null && last.getStatus().isRunning()) {
            // We hold the run lock, so no live process owns this execution: it was killed.
            log.warn("execution {} was left {} by a run that is gone; recovering it", last.getId(), last.getStatus());
            jobOperator.recover(last);
        }
        if (last != null) {
            out.println("Resuming execution " + last.getId() + " (" + last.getStatus() + ") of this input.");
        }
        long started = System.nanoTime();
        JobExecution execution;
        try (SignalStop ignored = SignalStop.install(this::requestStop)) {
            execution = jobOperator.start(importJob, parameters);
        }
        return summarize(execution, Duration.ofNanos(System.nanoTime() - started));
    }

    /** SIGTERM or SIGINT: stop at the next boundary, leaving the run restartable. */
    private void requestStop() {
        stopRequested = true;
        log.warn("stop requested: finishing calls in progress, then stopping; re-run the same command to resume");
        importTasklet.stop();
        runControl.stop();
    }

    private ExitCode summarize(JobExecution execution, Duration took) {
        Map<RowStatus, Long> counts = summary.counts(execution);
        ExitCode code = summary.exitCodeOf(execution, counts, stopRequested);
        summary.record(execution, code);
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
        System.err.println("       java -jar customvision-import.jar --status [--input=FILE]");
        System.err.println("       java -jar customvision-import.jar --report-of=EXECUTION_ID [--report=FILE]");
        return ExitCode.USAGE;
    }
}
