package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;

/**
 * Every repository state a crash or an outage can leave, built with the JobRepository
 * against H2: the same command repairs it (never deleting history) and resumes the job.
 */
@TestPropertySource(properties = {
        // A context of its own: the command itself repairs and resumes (the others run the job
        // without it), and a short lock lifetime.
        "import.command=true",
        "import.lock-ttl=2s" })
class RepositoryRepairTest extends JobFixture {

    static final String KEY = key(RepositoryRepairTest.class, "target");

    @Autowired
    ImportCommand command;

    @Autowired
    RowJudge rowJudge;

    @BeforeEach
    void target() {
        emulator.key(KEY);
    }

    @Test
    void aFailedJobWithAStepStillStarted() throws Exception {
        Broken broken = broken("job-ended-step-started");
        JobExecution execution = execution(broken, BatchStatus.FAILED, true).execution();
        step(execution, "load", BatchStatus.STARTED, false);

        assertResumes(broken);
    }

    @Test
    void aStoppedJobWithTheImportStepStillStopping() throws Exception {
        Broken broken = broken("stopped-step-stopping");
        JobExecution execution = execution(broken, BatchStatus.STOPPED, true).execution();
        step(execution, "load", BatchStatus.COMPLETED, true);
        loadLedger(broken);
        step(execution, "import", BatchStatus.STOPPING, false);

        assertResumes(broken);
    }

    @Test
    void anUnknownJobWithAnUnknownStep() throws Exception {
        Broken broken = broken("unknown");
        JobExecution execution = execution(broken, BatchStatus.UNKNOWN, true).execution();
        step(execution, "load", BatchStatus.UNKNOWN, true);

        assertResumes(broken);
    }

    @Test
    void aStartedJobWhoseOwnerIsGone() throws Exception {
        Broken broken = broken("started-no-owner");
        JobExecution execution = execution(broken, BatchStatus.STARTED, false).execution();
        step(execution, "load", BatchStatus.COMPLETED, true);
        loadLedger(broken);
        step(execution, "import", BatchStatus.STARTED, false);

        assertResumes(broken);
    }

    @Test
    void aStoppingJobWhoseOwnerIsGone() throws Exception {
        Broken broken = broken("stopping-no-owner");
        JobExecution execution = execution(broken, BatchStatus.STOPPING, false).execution();
        step(execution, "load", BatchStatus.STARTED, false);

        assertResumes(broken);
    }

    @Test
    void aFailedJobWithoutAnEndTime() throws Exception {
        Broken broken = broken("no-end-time");
        JobExecution execution = execution(broken, BatchStatus.FAILED, false).execution();
        step(execution, "load", BatchStatus.FAILED, false);

        assertResumes(broken);
    }

    @Test
    void anOlderExecutionLeftStartedBehindAFailedOne() throws Exception {
        Broken broken = broken("older-started");
        JobExecution older = execution(broken, BatchStatus.STARTED, false).execution();
        step(older, "load", BatchStatus.STARTED, false);
        JobExecution last = execution(broken, BatchStatus.FAILED, true).execution();
        step(last, "load", BatchStatus.FAILED, true);

        assertResumes(broken);
    }

    /**
     * A start killed between Spring Batch's creation of the job instance and of its first
     * execution (two transactions): Spring Batch refused every later start of that input
     * ("Cannot find any job execution for job instance", exit 1), as a whole-process crash
     * test found. The instance never ran a step, so it holds nothing: the run starts afresh.
     */
    @Test
    void aJobInstanceWithoutAnyExecution() throws Exception {
        Broken broken = broken("instance-alone");

        command.run(new DefaultApplicationArguments("--input=" + broken.input(),
                "--report=" + dir.resolve("report.csv")));

        assertThat(command.getExitCode()).as("exit code of the run").isZero();
        for (String token : broken.tokens()) {
            assertThat(emulator.importsOf(KEY, token)).as("imports of %s", token).isEqualTo(1);
        }
        JobInstance instance = repository.getJobInstance(ImportJobConfiguration.JOB_NAME, broken.parameters());
        assertThat(instance).isNotNull();
        assertThat(repository.getLastJobExecution(instance).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    /** An input of two rows and the job instance the command would find for it. */
    private record Broken(Path input, JobParameters parameters, JobInstance instance, List<String> tokens) {
    }

    private Broken broken(String name) throws Exception {
        List<String> tokens = List.of(token(name + "-1"), token(name + "-2"));
        Path input = dir.resolve(name + ".csv").toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        tokens.forEach(token -> lines.add("\"" + token + "\",westus2," + KEY));
        Files.write(input, lines);
        JobParameters parameters = parameters(input, "");
        JobInstance instance = repository.createJobInstance(ImportJobConfiguration.JOB_NAME, parameters);
        return new Broken(input, parameters, instance, tokens);
    }

    /** A {@link Run}: the batch test listeners would take a method returning an execution for a factory. */
    private Run execution(Broken broken, BatchStatus status, boolean ended) {
        JobExecution execution = repository.createJobExecution(broken.instance(), broken.parameters(),
                new ExecutionContext());
        execution.setStartTime(LocalDateTime.now().minusMinutes(5));
        execution.setStatus(status);
        execution.setEndTime(ended ? LocalDateTime.now().minusMinutes(1) : null);
        repository.update(execution);
        return new Run(execution);
    }

    private void step(JobExecution execution, String name, BatchStatus status, boolean ended) {
        StepExecution step = repository.createStepExecution(name, execution);
        step.setStartTime(LocalDateTime.now().minusMinutes(4));
        step.setStatus(status);
        step.setEndTime(ended ? LocalDateTime.now().minusMinutes(2) : null);
        step.setExitStatus(new ExitStatus(status == BatchStatus.COMPLETED ? "COMPLETED" : "EXECUTING"));
        repository.update(step);
    }

    /** What a finished load step leaves: every row in the ledger, pending. */
    private void loadLedger(Broken broken) {
        try (RowCursor rows = InputFile.open(broken.input()).rows()) {
            for (InputRow row = rows.next(); row != null; row = rows.next()) {
                ledger.insert(broken.instance().getInstanceId(), List.of(rowJudge.process(row)));
            }
        }
    }

    private void assertResumes(Broken broken) throws Exception {
        List<JobExecution> before = repository.getJobExecutions(broken.instance());

        command.run(new DefaultApplicationArguments("--input=" + broken.input(),
                "--report=" + dir.resolve("report.csv")));

        assertThat(command.getExitCode()).as("exit code of the resumed run").isZero();
        for (String token : broken.tokens()) {
            assertThat(emulator.importsOf(KEY, token)).as("imports of %s", token).isEqualTo(1);
        }
        List<JobExecution> after = repository.getJobExecutions(broken.instance());
        assertThat(after).as("history is kept").hasSize(before.size() + 1);
        assertThat(repository.getLastJobExecution(broken.instance()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        for (JobExecution execution : after) {
            assertThat(execution.getStatus()).as("execution %d", execution.getId())
                    .isNotIn(BatchStatus.STARTING, BatchStatus.STARTED, BatchStatus.STOPPING, BatchStatus.UNKNOWN);
            assertThat(execution.getEndTime()).as("end of execution %d", execution.getId()).isNotNull();
            for (StepExecution step : execution.getStepExecutions()) {
                assertThat(step.getStatus()).as("step %s of execution %d", step.getStepName(), execution.getId())
                        .isNotIn(BatchStatus.STARTING, BatchStatus.STARTED, BatchStatus.STOPPING, BatchStatus.UNKNOWN);
                assertThat(step.getEndTime()).as("end of step %s of execution %d", step.getStepName(),
                        execution.getId()).isNotNull();
            }
        }
    }

    /** Names steer the emulator ("fail", "slow", "invalid"): these avoid them. */
    @Override
    String token(String name) {
        return token("repair", name);
    }
}
