package io.cvimport.job;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.cvimport.input.InputFile;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.report.ReportWriter;

/** Writes the report of the whole job instance, and leaves its path in the job's context. */
class ReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);
    static final String REPORT_PATH_KEY = "report.path";

    private final ReportWriter writer;

    ReportTasklet(ImportLedger ledger) {
        this.writer = new ReportWriter(ledger);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
        InputFile input = InputFile.open(Path.of(job.getJobParameters().getString(ImportJobConfiguration.INPUT_PATH)));
        Path report = reportPath(job, input.path());
        long rows = writer.write(LedgerKey.of(job), input.extraColumns(), report);
        contribution.incrementWriteCount(rows);
        job.getExecutionContext().putString(REPORT_PATH_KEY, report.toString());
        log.info("report of {} rows written to {}", rows, report);
        return RepeatStatus.FINISHED;
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
