package io.cvimport.job;

import static io.cvimport.job.ImportJobConfiguration.inputOf;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import io.cvimport.repository.RepositoryInUse;

/**
 * {@code --stop [--input=FILE]}: asks a running execution, in this process or another on
 * any host sharing the job repository, to stop through the repository
 * ({@link JobOperator#stop}). The running job sees the request at its next update of its
 * step (the import step's next round), finishes its calls in flight and ends STOPPED,
 * restartable. Takes no run lock and runs nothing.
 */
@Component
class StopRequest {

    private static final int ATTEMPTS = 3;

    private final JobRepository jobRepository;
    private final RepositoryInUse repository;

    StopRequest(JobRepository jobRepository, RepositoryInUse repository) {
        this.jobRepository = jobRepository;
        this.repository = repository;
    }

    ExitCode request(PrintStream out, @Nullable Path input) throws Exception {
        List<JobExecution> running = jobRepository.findRunningJobExecutions(ImportJobConfiguration.JOB_NAME).stream()
                .filter(execution -> input == null || input.toString().equals(inputOf(execution)))
                .sorted(Comparator.comparing(JobExecution::getId).reversed())
                .toList();
        if (running.isEmpty()) {
            out.println("no running execution" + (input == null ? "" : " of " + input) + " in the job repository "
                    + repository.describe() + "; nothing to stop");
            return ExitCode.OK;
        }
        List<String> inputs = running.stream().map(ImportJobConfiguration::inputOf).filter(Objects::nonNull)
                .distinct().toList();
        if (inputs.size() > 1) {
            System.err.println("customvision-import: executions of " + inputs.size() + " inputs are running ("
                    + running.stream().map(e -> e.getId() + ": " + inputOf(e)).collect(Collectors.joining(", "))
                    + "); name one with --input=FILE");
            return ExitCode.USAGE;
        }
        // Of one input only the newest can be live: an older one still running is a killed run's,
        // which the next run of that input repairs.
        JobExecution newest = jobRepository.getJobExecution(running.get(0).getId());
        return stop(out, newest == null ? running.get(0) : newest);
    }

    private ExitCode stop(PrintStream out, JobExecution execution) throws Exception {
        String what = "execution " + execution.getId() + " of " + inputOf(execution);
        if (execution.getStatus() == BatchStatus.STOPPING) {
            out.println(what + " is already stopping");
            return ExitCode.OK;
        }
        JobOperator operator = operatorThatKnowsNoJob();
        for (int attempt = 1;; attempt++) {
            try {
                operator.stop(execution);
                break;
            }
            catch (JobExecutionNotRunningException ended) {
                out.println(what + " is no longer running (" + execution.getStatus() + "); nothing to stop");
                return ExitCode.OK;
            }
            catch (OptimisticLockingFailureException updatedMeanwhile) {
                // The running job recorded its execution between our read and our write: read it again.
                JobExecution again = jobRepository.getJobExecution(execution.getId());
                if (attempt == ATTEMPTS || again == null) {
                    throw updatedMeanwhile;
                }
                execution = again;
            }
        }
        out.println("stop requested for " + what + "; it stops after its calls in flight (re-run the same command"
                + " to resume it)");
        return ExitCode.OK;
    }

    /**
     * An operator that knows no job, so that it only records the request on the job
     * execution. Knowing the job, Spring Batch's operator would also write this process's
     * copy of the running step execution, racing the running job's own version-checked
     * updates of it: a step whose update fails ends UNKNOWN, which cannot be restarted.
     */
    private JobOperator operatorThatKnowsNoJob() throws Exception {
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(jobRepository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.afterPropertiesSet();
        return operator;
    }
}
