package io.cvimport.job;

import static io.cvimport.job.ImportJobConfiguration.inputOf;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.cvimport.scale.PartitionWorkers;
import io.cvimport.ledger.RowStatus;
import io.cvimport.repository.RepositoryInUse;

/**
 * {@code --status [--input=FILE]}: the executions in the job repository (of the input, or
 * the recent ones), from the repository alone, without running anything; a running one
 * with its progress and its partitions' workers.
 */
@Component
class StatusCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
    private static final int RECENT_INSTANCES = 20;
    private static final int ALL_INSTANCES = 100_000;

    private final JobRepository jobRepository;
    private final RunSummary summary;
    private final RepositoryInUse repository;
    private final PartitionWorkers workers;

    StatusCommand(JobRepository jobRepository, RunSummary summary, RepositoryInUse repository,
            PartitionWorkers workers) {
        this.jobRepository = jobRepository;
        this.summary = summary;
        this.repository = repository;
        this.workers = workers;
    }

    ExitCode list(PrintStream out, @Nullable Path input, boolean json) {
        List<JobExecution> executions = new ArrayList<>();
        for (JobInstance instance : jobRepository.getJobInstances(ImportJobConfiguration.JOB_NAME, 0,
                input == null ? RECENT_INSTANCES : ALL_INSTANCES)) {
            for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
                if (input == null || input.toString().equals(inputOf(execution))) {
                    executions.add(execution);
                }
            }
        }
        executions.sort(Comparator.comparing(JobExecution::getId).reversed());
        LocalDateTime now = LocalDateTime.now();
        List<RunEntry> entries = executions.stream().map(execution -> entry(execution, now)).toList();
        if (json) {
            JsonAnswer.print(out, new RunEntry.Answer(repository.describe(), entries));
        }
        else if (entries.isEmpty()) {
            out.println("no runs" + (input == null ? "" : " of " + input) + " in the job repository "
                    + repository.describe());
        }
        else {
            table(entries).print(out);
        }
        return ExitCode.OK;
    }

    private RunEntry entry(JobExecution execution, LocalDateTime now) {
        Map<RowStatus, Long> counts = summary.counts(execution);
        String progress = RunningProgress.of(execution, counts, now);
        // Running, or killed without a trace: no exit status yet.
        boolean ended = execution.getEndTime() != null && progress == null;
        List<String> partitions = progress == null ? List.of()
                : RunningProgress.partitions(execution, workers.workers(execution.getStepExecutions().stream()
                        .map(StepExecution::getId).toList()), now);
        Object report = summary.reportOf(execution);
        LocalDateTime started = execution.getStartTime();
        LocalDateTime end = execution.getEndTime();
        return new RunEntry(execution.getId(), execution.getJobInstance().getInstanceId(),
                execution.getStatus().name(), RunEntry.time(started), RunEntry.time(end),
                started == null || end == null ? null : Duration.between(started, end).toMillis(),
                ended ? summary.recordedWord(execution, counts) : null,
                ended ? summary.recordedExitCode(execution, counts) : null, counts, inputOf(execution),
                report == null ? null : report.toString(), progress, partitions);
    }

    private static TextTable table(List<RunEntry> entries) {
        TextTable table = new TextTable(List.of("execution", "instance", "status", "started", "took",
                "exit status", "exit code", "rows now", "input"));
        for (RunEntry entry : entries) {
            String rows = entry.rows().entrySet().stream()
                    .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            List<String> notes = new ArrayList<>();
            if (entry.progress() != null) {
                notes.add(entry.progress());
                entry.partitions().forEach(line -> notes.add("  " + line));
            }
            table.add(List.of(Long.toString(entry.execution()), Long.toString(entry.instance()), entry.status(),
                    time(entry.started()), entry.tookMillis() == null ? "-"
                            : RunSummary.format(Duration.ofMillis(entry.tookMillis())),
                    String.valueOf(entry.exitStatus() == null ? "-" : entry.exitStatus()),
                    String.valueOf(entry.exitCode() == null ? "-" : entry.exitCode()), rows.isEmpty() ? "-" : rows,
                    String.valueOf(entry.input())), notes);
        }
        return table;
    }

    /** An ISO time with its offset, as the table shows it. */
    private static String time(@Nullable String iso) {
        return iso == null ? "-" : TIME.format(OffsetDateTime.parse(iso));
    }
}
