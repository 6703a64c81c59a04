package io.cvimport.job;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Endpoints;
import io.cvimport.input.InputRow;
import io.cvimport.input.InputRowReader;
import io.cvimport.input.KeyVariables;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.LedgerWriter;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.scale.PartitionedImport;
import io.cvimport.reopen.ReopenProperties;
import io.cvimport.imports.step.ImportTasklet;
import io.cvimport.reopen.Reopening;
import io.cvimport.imports.step.RunningImports;
import io.cvimport.imports.ImportProperties;

/**
 * load (CSV to ledger, in chunks; a later pass skips it) then expand (each whole source resource's projects
 * listed into rows of their own, see io.cvimport.sources) then import (the engine works the ledger's open rows)
 * then report (ledger to CSV). When rows are left open (TIMED_OUT, or left for a run that
 * has their key variable) the job stops instead of completing, so that the same command
 * later restarts it at the import step and carries on with them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ImportProperties.class, ReopenProperties.class })
class ImportJobConfiguration {

    static final String JOB_NAME = "customvisionImport";
    static final String INPUT_PATH = "input.path";
    static final String INPUT_HASH = "input.sha256";
    static final String REPORT = "report";
    static final String AWAIT_AGAIN = "TIMED_OUT";
    /** Identifying: the pass of an input's job, from 2 on (a pass reopens rows of a finished one). */
    static final String PASS = "pass";
    static final String LATER_PASS = "LATER_PASS";
    /** Rows per load transaction: large enough that commits do not dominate. */
    static final int LOAD_CHUNK = 1000;

    /** The input an execution imports, as its parameters name it. */
    static @Nullable String inputOf(JobExecution execution) {
        return execution.getJobParameters().getString(INPUT_PATH);
    }

    @Bean
    Job importJob(JobRepository jobRepository, Step loadStep, Step expandStep, Step importStep, Step reportStep,
            JobExecutionDecider timedOutRows, RunControl runControl, RunExitStatus runExitStatus,
            ReportTasklet reportTasklet) {
        // A later pass works the ledger its first pass loaded: it has nothing to load.
        JobExecutionDecider pass = (jobExecution, stepExecution) -> jobExecution.getJobParameters()
                .getLong(PASS) != null ? new FlowExecutionStatus(LATER_PASS) : FlowExecutionStatus.COMPLETED;
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(runControl)
                .listener(runExitStatus)
                .listener(reportTasklet)
                .start(pass).on(LATER_PASS).to(expandStep)
                .from(pass).on("*").to(loadStep).next(expandStep)
                .from(expandStep).next(importStep)
                .from(importStep).next(reportStep)
                .next(timedOutRows)
                .on(AWAIT_AGAIN).stopAndRestart(importStep)
                .from(timedOutRows).on("*").end()
                .end()
                .build();
    }

    @Bean
    Step loadStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, InputRowReader inputRows,
            RowJudge rowJudge, LedgerWriter ledgerWriter) {
        return new StepBuilder("load", jobRepository)
                .<InputRow, LedgerRow>chunk(LOAD_CHUNK)
                .transactionManager(transactionManager)
                .reader(inputRows)
                .processor(rowJudge)
                .writer(ledgerWriter)
                .build();
    }

    /**
     * With {@code import.partitions} above 1, a step split by target whose partitions each run
     * the same tasklet on their own targets; otherwise the plain step, exactly as it always
     * was (same step name and records, so runs of earlier versions restart into it).
     */
    @Bean
    Step importStep(JobRepository jobRepository, ImportTasklet importTasklet, PartitionedImport partitioned,
            Reopening reopening, CustomVisionClient client) throws Exception {
        if (!partitioned.enabled()) {
            return ledgerDrivenStep("import", importTasklet, jobRepository);
        }
        return partitioned.step("import", ledgerDrivenStep("importPartition", importTasklet, jobRepository),
                execution -> ImportTasklet.reopen(reopening, client, execution));
    }

    @Bean
    Step reportStep(JobRepository jobRepository, ReportTasklet reportTasklet) {
        return ledgerDrivenStep(ReportTasklet.STEP_NAME, reportTasklet, jobRepository);
    }

    /**
     * A step whose state is the ledger: it runs again on every restart (it finds nothing to
     * do when nothing is left), and its work commits in the ledger itself, so the step holds
     * no transaction of its own.
     */
    private static Step ledgerDrivenStep(String name, Tasklet tasklet, JobRepository jobRepository) {
        return new StepBuilder(name, jobRepository)
                .tasklet(tasklet, new ResourcelessTransactionManager())
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    @StepScope
    InputRowReader inputRows(@Value("#{jobParameters['" + INPUT_PATH + "']}") String inputPath, ImportLedger ledger,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        long instance = LedgerKey.of(stepExecution.getJobExecution());
        return new InputRowReader(Path.of(inputPath), ledger.loadedRows(instance));
    }

    @Bean
    KeyVariables keyVariables() {
        return KeyVariables.ENVIRONMENT;
    }

    @Bean
    RowJudge rowJudge(Endpoints endpoints, KeyVariables keyVariables) {
        return new RowJudge(endpoints, keyVariables::value, Clock.systemUTC());
    }

    @Bean
    @StepScope
    LedgerWriter ledgerWriter(ImportLedger ledger, ResourceLinks resources, ImportProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new LedgerWriter(ledger, resources, LedgerKey.of(stepExecution.getJobExecution()),
                properties.reimport());
    }

    /** One per step execution (each partition's its own), so that a stop is the step execution's alone. */
    @Bean
    @StepScope
    ImportTasklet importTasklet(CustomVisionClient client, ImportLedger ledger, ResourceLinks resources,
            RowJudge rowJudge, ImportProperties properties, ProgressProperties progress,
            MeterRegistry meters, Reopening reopening, ClosedRows closedRows, RunningImports running) {
        return new ImportTasklet(client, ledger, resources, rowJudge, properties, progress.progressEvery(), meters,
                reopening, closedRows, running);
    }

    @Bean
    RunningImports runningImports() {
        return new RunningImports();
    }

    @Bean
    ReportTasklet reportTasklet(ImportLedger ledger, JobRepository jobRepository) {
        return new ReportTasklet(ledger, jobRepository);
    }

    @Bean
    JobExecutionDecider timedOutRows(ImportLedger ledger) {
        return (jobExecution, stepExecution) -> ledger.count(LedgerKey.of(jobExecution),
                RowStatus.OPEN) > 0 ? new FlowExecutionStatus(AWAIT_AGAIN)
                        : FlowExecutionStatus.COMPLETED;
    }
}
