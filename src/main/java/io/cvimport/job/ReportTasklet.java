package io.cvimport.job;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.cvimport.input.InputFile;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.report.ReportWriter;

/**
 * Writes the report of the whole job instance, and leaves its path in the job's context: as
 * the report step of a run that gets there, and when the job ends without it (stopped, or
 * failed), with each row as it stands, so that every run that ends has its report.
 */
class ReportTasklet implements Tasklet, JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);
    static final String REPORT_PATH_KEY = "report.path";
    static final String STEP_NAME = "report";

    private final ReportWriter writer;
    private final JobRepository jobRepository;

    ReportTasklet(ImportLedger ledger, JobRepository jobRepository) {
        this.writer = new ReportWriter(ledger);
        this.jobRepository = jobRepository;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
        contribution.incrementWriteCount(write(job));
        return RepeatStatus.FINISHED;
    }

    /** A job that ended before its report step: the report of its rows as they stand. */
    @Override
    public void afterJob(JobExecution job) {
        boolean reported = job.getStepExecutions().stream()
                .anyMatch(step -> STEP_NAME.equals(step.getStepName()) && step.getStatus() == BatchStatus.COMPLETED);
        if (reported) {
            return;
        }
        try {
            write(job);
            jobRepository.updateExecutionContext(job);
        }
        catch (RuntimeException e) {
            // The run's end is reported whatever happens here (a database outage, a vanished input).
            job.getExecutionContext().remove(REPORT_PATH_KEY);
            log.warn("cannot write the report of execution {}: {}", job.getId(), e.getMessage());
        }
    }

    private long write(JobExecution job) {
        InputFile input = InputFile.open(Path.of(job.getJobParameters().getString(ImportJobConfiguration.INPUT_PATH)));
        Path report = reportPath(job, input.path());
        long rows = writer.write(LedgerKey.of(job), input.extraColumns(), report);
        job.getExecutionContext().putString(REPORT_PATH_KEY, report.toString());
        log.info("report of {} rows written to {}", rows, report);
        return rows;
    }

    static Path reportPath(JobExecution job, Path input) {
        String option = job.getJobParameters().getString(ImportJobConfiguration.REPORT);
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        String name = input.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return Path.of("reports", name + "-" + job.getId() + ".csv");
    }
}
