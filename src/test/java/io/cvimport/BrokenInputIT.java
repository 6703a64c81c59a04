package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputStructureException;

/**
 * Structurally broken inputs, as a new user feeds them to the jar under {@code -Xmx256m}:
 * exit 2 with one line naming the input line, no stack trace, no import, in seconds and in
 * bounded memory; a field too long in a record whose end is clear costs only its row, at
 * any length. The jar is started as {@link JarProcess} starts it (a third of a default start's
 * CPU): the heap limit, and what the job reads and keeps of the file, are the same under any
 * JIT or collector; the jar as typed, with the JVM's defaults, is CommandLineIT's.
 */
class BrokenInputIT {

    static final String KEY = "44444444444444444444444444444444";
    static final long RSS_LIMIT_KB = 500 * 1024;
    /** The whole process, JVM and Spring start included, on a machine shared by several builds. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(150);
    /** The check of the file itself. */
    static final Duration CHECK_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(100), Duration.ZERO);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(int i) {
        return "https://cvexports.blob.core.windows.net/exports/broken-" + i
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=S" + i + "%2B%3D";
    }

    /** Row i of a file as people write it: nothing quoted. */
    static String row(int i) {
        return token(i) + ",westus2," + KEY;
    }

    private List<String> args(Path input) {
        return List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--spring.datasource.url=" + repositoryUrl(), "--import.poll-interval=200ms",
                "--import.max-poll-interval=500ms", "--import.lock-ttl=3s");
    }

    private String repositoryUrl() {
        return "jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE";
    }

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        return file;
    }

    /** Exit 2, one line on stderr naming the problem, no stack trace, nothing imported, quick and small. */
    private MeasuredRun.Result refused(String shape, Path input, String message) throws Exception {
        long checkStart = System.nanoTime();
        assertThatThrownBy(() -> InputFile.check(input)).isInstanceOf(InputStructureException.class);
        Duration check = Duration.ofNanos(System.nanoTime() - checkStart);
        MeasuredRun.Result run = MeasuredRun.run(dir, args(input));
        System.out.printf("%-44s %s (the check alone, in-process: %d ms); stderr: %s%n", shape, run.figures(),
                check.toMillis(), run.err().strip());
        assertThat(check).isLessThan(CHECK_LIMIT);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1).first().asString().contains(message);
        assertThat(run.out() + run.err()).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("OutOfMemoryError").doesNotContain("resume");
        assertThat(emulator.imports()).isZero();
        assertThat(run.took()).isLessThan(TIME_LIMIT);
        assertThat(run.peakRssKb()).isPositive().isLessThan(RSS_LIMIT_KB);
        return run;
    }

    @Test
    void aStrayQuoteInRow5OfA300000RowFile() throws Exception {
        Path input = dir.resolve("stray-quote.csv");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            out.write("token,region,key\n");
            for (int i = 1; i <= 300_000; i++) {
                out.write(i == 5 ? "\"" + row(i) : row(i));
                out.write('\n');
            }
        }
        System.out.printf("300,000-row file: %d MB%n", Files.size(input) >> 20);
        refused("300,000 rows, stray quote at row 5", input,
                "line 6: a quoted field is never closed (it runs to the end of the file)");
    }

    /**
     * A megabyte of unquoted text in row 18 of 30 has a clear end (its line break): it costs
     * row 18 alone, and the run goes on under a 64 MB heap.
     */
    @Test
    void aMegabyteUnquotedFieldOnRow18Of30CostsOnlyRow18() throws Exception {
        Path input = dir.resolve("long-row-18.csv");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write("token,region,key\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 1; i <= 30; i++) {
                String row = i == 18 ? "x".repeat(1 << 20) + ",westus2," + KEY : row(i);
                out.write((row + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        MeasuredRun.Result run = MeasuredRun.run(dir, "64m", args(input));
        System.out.printf("%-44s %s under -Xmx64m%n", "30 rows, a 1 MB unquoted field in row 18", run.figures());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.out()).contains("INVALID           1").contains("SUCCEEDED" + " ".repeat(9) + "29")
                .contains("row 18 INVALID InvalidRow: field too long: token has at least 1048576 characters"
                        + " (at most 65536)")
                .doesNotContain("xxxxxxxx").doesNotContain("\tat ");
        for (int i = 1; i <= 30; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).as("imports of row %d", i).isEqualTo(i == 18 ? 0 : 1);
        }
        assertThat(emulator.imports()).isEqualTo(29);
    }

    /**
     * Sixty megabytes of one unquoted field, read under a 64 MB heap: the record is skipped to
     * its end, never held, and costs only its row.
     */
    @Test
    void aSixtyMegabyteFieldInATwoRowFileCostsOnlyItsRow() throws Exception {
        Path input = dir.resolve("sixty-megabytes.csv");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write("token,region,key\n".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 60; i++) {
                out.write(block);
            }
            out.write((",westus2," + KEY + "\n" + row(2) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        MeasuredRun.Result run = MeasuredRun.run(dir, "64m", args(input));
        System.out.printf("%-44s %s under -Xmx64m%n", "2 rows, a 60 MB field in row 1", run.figures());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.out()).contains("row 1 INVALID InvalidRow: field too long: token has at least 1048576")
                .doesNotContain("OutOfMemoryError");
        assertThat(emulator.importsOf(KEY, token(2))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(1);
        assertThat(run.took()).isLessThan(TIME_LIMIT);
        assertThat(run.peakRssKb()).isLessThan(RSS_LIMIT_KB);
    }

    @Test
    void aSixtyMegabyteQuotedFieldThatNeverCloses() throws Exception {
        Path input = dir.resolve("sixty-megabytes-quoted.csv");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write(("token,region,key\n" + row(1) + "\n\"").getBytes(StandardCharsets.US_ASCII));
            byte[] block = "y".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 60; i++) {
                out.write(block);
            }
        }
        refused("2 rows, a 60 MB quoted field never closed", input,
                "line 3: a quoted field is never closed (it runs to the end of the file)");
    }

    @Test
    void aNulByte() throws Exception {
        Path input = file("nul.csv", "token,region,key", row(1), token(2) + "\0,westus2," + KEY, row(3));
        refused("NUL byte in row 2", input, "line 3: a NUL byte");
    }

    @Test
    void bytesThatAreNotUtf8InTheHeader() throws Exception {
        Path input = dir.resolve("latin1-header.csv");
        Files.write(input, ("token,region,key,soci\u00e9t\u00e9\n" + row(1) + ",contoso\n" + row(2) + ",fabrikam\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        refused("Latin-1 header", input, "line 1: bytes that are not UTF-8 in the header");
    }

    @Test
    void textAfterTheClosingQuoteOfAField() throws Exception {
        Path input = file("after-quote.csv", "token,region,key", row(1), "\"" + token(2) + "\"x,westus2," + KEY,
                row(3));
        refused("text after a closing quote in row 2", input, "line 3: text after the closing quote");
    }

    @Test
    void aFieldTooLongInARecordThatEndsCostsOnlyItsRow() throws Exception {
        Path input = file("long-field.csv", "token,region,key", row(1), "x".repeat(100_000) + ",westus2," + KEY,
                row(3));
        MeasuredRun.Result run = MeasuredRun.run(dir, args(input));
        System.out.printf("%-44s %s%n", "a 100,000-character field in row 2", run.figures());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(3);
        assertThat(run.out()).contains("INVALID           1").contains("SUCCEEDED         2")
                .contains("row 2 INVALID InvalidRow: field too long: token has 100000 characters (at most 65536)")
                .doesNotContain("\tat ");
        assertThat(emulator.importsOf(KEY, token(1))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token(3))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(2);
        assertThat(run.peakRssKb()).isLessThan(RSS_LIMIT_KB);
    }

    @Test
    void bytesThatAreNotUtf8InARowCostOnlyThatRow() throws Exception {
        Path input = dir.resolve("latin1-row.csv");
        Files.write(input, ("token,region,key,tenant\n" + row(1) + ",contoso\n" + row(2) + ",soci\u00e9t\u00e9\n"
                + row(3) + ",fabrikam\n").getBytes(StandardCharsets.ISO_8859_1));
        MeasuredRun.Result run = MeasuredRun.run(dir, args(input));
        System.out.printf("%-44s %s%n", "Latin-1 bytes in row 2", run.figures());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(3);
        assertThat(run.out()).contains("row 2 INVALID InvalidRow: bytes that are not UTF-8").doesNotContain("\tat ");
        assertThat(emulator.imports()).isEqualTo(2);
    }

    /**
     * Earlier versions left a FAILED execution for a broken file, which the same command then
     * offered to resume. The same file must be refused again, and its correction (a new
     * content hash) must run as a job of its own.
     */
    @Test
    void theSameBrokenFileIsRefusedAgainAndItsCorrectionRunsAfresh() throws Exception {
        Path input = file("tenants.csv", "token,region,key", row(1), "\"" + row(2), row(3));
        refused("unclosed quote, first run", input, "line 3: a quoted field is never closed");
        JobExecution leftOver = failedExecutionAsEarlierVersionsLeft(input);

        MeasuredRun.Result again = refused("unclosed quote, same file again", input,
                "line 3: a quoted field is never closed");
        assertThat(again.out()).doesNotContain("Resuming").doesNotContain("execution " + leftOver.getId());

        file("tenants.csv", "token,region,key", row(1), row(2), row(3));
        MeasuredRun.Result corrected = MeasuredRun.run(dir, args(input));
        assertThat(corrected.exitCode()).as(corrected.out() + corrected.err()).isZero();
        assertThat(corrected.out()).doesNotContain("Resuming").contains("SUCCEEDED         3");
        for (int i = 1; i <= 3; i++) {
            assertThat(emulator.importsOf(KEY, token(i))).isEqualTo(1);
        }
    }

    /** What an earlier version left in the repository: the input's job, its load step failed. */
    private JobExecution failedExecutionAsEarlierVersionsLeft(Path input) throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(repositoryUrl(), "sa", "");
        JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
        factory.setDataSource(dataSource);
        factory.setTransactionManager(new JdbcTransactionManager(dataSource));
        factory.afterPropertiesSet();
        JobRepository repository = factory.getObject();
        JobParameters parameters = new JobParametersBuilder()
                .addString("input.path", input.toAbsolutePath().normalize().toString(), true)
                .addString("input.sha256", HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(input))), true)
                .addString("report", "", false)
                .toJobParameters();
        JobInstance instance = repository.createJobInstance("customvisionImport", parameters);
        JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStartTime(LocalDateTime.now().minusMinutes(1));
        execution.setEndTime(LocalDateTime.now());
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(
                "CSVException: (startline 3) EOF reached before encapsulated token finished"));
        repository.update(execution);
        assertThat(repository.getLastJobExecution("customvisionImport", parameters)).isNotNull()
                .extracting(JobExecution::getStatus).isEqualTo(BatchStatus.FAILED);
        return execution;
    }
}
