package io.cvimport.job;

import java.util.function.BooleanSupplier;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.imports.ImportProperties;
import io.cvimport.input.InputFile;
import io.cvimport.input.KeyVariables;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;
import io.cvimport.plan.PlanProperties;
import io.cvimport.reopen.ReopenProperties;

/**
 * The fixture of the tests of the whole job against the emulator over real HTTP.
 * <p>
 * One Spring context: every class that extends this one and adds no setting has the same
 * configuration, so Spring's context cache builds it once per JVM, with one in-memory H2 job
 * repository. A class that needs a setting of its own adds it with {@code @TestPropertySource}
 * and so gets a context of its own: it says why beside it. Such a context keeps the same
 * in-memory database (one per JVM, by its name) unless it names another, as a test that reads
 * or stops the repository's executions as a whole must.
 * <p>
 * One emulator for the JVM, started with the first class, {@link CustomVisionEmulator#reset}
 * before each test. Tests share the context, the repository and the emulator, so each is
 * isolated by what it names: its {@link #token tokens} and {@link #key keys} are its class's
 * own (no other class's rows, claims, resources, links or send slots), its inputs are in its
 * own folder (an input's path makes its job instance, and its run lock), and its {@code env:}
 * keys are set in {@link #variables}, emptied before each test.
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:job-tests;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        // long enough that no import times out on a loaded machine; the tests of timeouts set their own
        "import.timeout=20s",
        "import.in-doubt-grace=200ms",
        "import.clock-skew=20ms",
        "import.progress-every=200ms",
        // Regions paced apart, each for the tests that need a slower target or source than the rest:
        // one call a second (OneLongEstimateHoldsItsLaneJobTest's source),
        "import.rates.southeastasia=1",
        // two calls a second (StopRequestJobTest, StopWithVerificationQueuedJobTest).
        "import.rates.japaneast=2",
        // A region whose endpoint nothing listens on: its calls fail as where the network refuses them.
        "customvision.endpoints." + JobFixture.UNREACHABLE_REGION + "=http://127.0.0.1:9" })
abstract class JobFixture {

    static final String UNREACHABLE_REGION = "centralindia";
    /** A region whose endpoint is the emulator's second port: the resources' custom subdomain. */
    static final String SUBDOMAIN_REGION = "eastus2";

    /** One emulator for the JVM: every context of the job tests calls it. */
    static final CustomVisionEmulator emulator = startEmulator();

    /** The {@code env:} keys of the inputs: the job reads them here, not from the process. */
    static final Map<String, String> variables = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    ImportLedger ledger;

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @TestBean
    KeyVariables keyVariables;

    /** The {@code import.*} options: as bound, unless a test answers them as a command's ({@link RunOptions}). */
    @MockitoSpyBean
    ImportProperties importOptions;

    @MockitoSpyBean
    ReopenProperties reopenOptions;

    @MockitoSpyBean
    PlanProperties planOptions;

    /** Wraps an execution: the batch test listeners take any method returning one for a factory. */
    record Run(JobExecution execution) {
    }

    private static CustomVisionEmulator startEmulator() {
        try {
            return new CustomVisionEmulator();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
        // The same resources through their custom subdomain (the emulator's second port).
        registry.add("customvision.endpoints." + SUBDOMAIN_REGION, () -> {
            try {
                return emulator.secondEndpoint().toString();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static KeyVariables keyVariables() {
        return variables::get;
    }

    @BeforeEach
    void freshFixture(@Autowired Job importJob) {
        jobs.setJob(importJob);
        emulator.reset();
        variables.clear();
    }

    /** A training key of this class's own, 32 hex digits: a resource of the emulator no other class uses. */
    static String key(Class<?> test, String name) {
        return UUID.nameUUIDFromBytes((test.getName() + "/" + name).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "");
    }

    /**
     * An export token of its own for each scope and name: the emulator outlives a test class
     * and counts imports per token, and the job repository remembers every token imported.
     */
    static String token(String scope, String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + scope + "/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=" + name.hashCode() + "abc%2Bdef%3D";
    }

    /** A token of this class (its H2 and PostgreSQL runs each have their own). */
    String token(String name) {
        return token(getClass().getSimpleName(), name);
    }

    /** An input file in this test's folder: the header, then the rows. */
    Path input(String name, String header, List<String> rows) throws IOException {
        Path file = dir.resolve(name + ".csv");
        List<String> lines = new ArrayList<>(List.of(header));
        lines.addAll(rows);
        Files.write(file, lines);
        return file;
    }

    /** Where the run of this input writes its report. */
    Path report(Path input) {
        return dir.resolve(input.getFileName() + ".report.csv");
    }

    /** Runs the job on this input, as the command would, and waits for its end. */
    Run launch(Path input) throws Exception {
        return new Run(jobs.startJob(parameters(input, report(input).toString())));
    }

    /** Runs the job on this input on a thread of its own. */
    CompletableFuture<Run> launchInBackground(Path input) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return launch(input);
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The parameters the command gives the job for this input (its path and hash identify it). */
    static JobParameters parameters(Path input, String report) {
        return new JobParametersBuilder()
                .addString(ImportJobConfiguration.INPUT_PATH, input.toString(), true)
                .addString(ImportJobConfiguration.INPUT_HASH, InputFile.open(input).contentHash(), true)
                .addString(ImportJobConfiguration.REPORT, report, false)
                .toJobParameters();
    }

    /** The job instance of this input, once a run of it has started; 0 before. */
    long instanceOf(Path input) {
        JobInstance instance = repository.getJobInstance(jobs.getJob().getName(), parameters(input, ""));
        return instance == null ? 0 : instance.getInstanceId();
    }

    /**
     * Asks the running execution of this input to stop through the job repository, as
     * {@code --stop} from another process does; returns how many executions were asked.
     */
    int stopThroughTheRepository(Path input) {
        return jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPING', VERSION = VERSION + 1"
                + " WHERE STATUS = 'STARTED' AND JOB_INSTANCE_ID = ?", instanceOf(input));
    }

    /** How many of this input's rows the ledger holds that match this condition. */
    long ledgerRows(Path input, String where) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = ? AND " + where,
                Long.class, instanceOf(input));
    }

    /** Each row's status as the ledger holds it, by row number. */
    Map<Long, RowStatus> statuses(JobExecution execution) {
        Map<Long, RowStatus> statuses = new LinkedHashMap<>();
        ledger.forEachOutcome(execution.getJobInstance().getInstanceId(), o -> statuses.put(o.rowNo(), o.status()));
        return statuses;
    }

    /** Waits for {@code condition}, looking every 10 ms, for {@code within} at most; fails the test then. */
    static void waitFor(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
