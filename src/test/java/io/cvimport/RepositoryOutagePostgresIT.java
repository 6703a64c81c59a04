package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.support.RestartablePostgres;

/**
 * The job repository's PostgreSQL stops mid-run and starts again on the same port and data
 * directory: a short outage is ridden through, a long one fails the run (exit 1) and the
 * same command, run at once, resumes it. Every token is imported exactly once either way.
 */
class RepositoryOutagePostgresIT {

    private static final String[] KEYS = ImportProcessIT.KEYS;
    private static final String[] REGIONS = ImportProcessIT.REGIONS;
    private static final int ROWS = 30;

    @TempDir
    Path dir;

    private CustomVisionEmulator emulator;
    private RestartablePostgres postgres;

    @BeforeEach
    void start() throws Exception {
        // Slow answers and slow imports: when the database stops, calls are in flight and projects are awaited.
        emulator = new CustomVisionEmulator().key(KEYS).importDelay(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .latency(Duration.ofMillis(300));
        postgres = new RestartablePostgres(dir.resolve("pgdata"));
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
        postgres.close();
    }

    @Test
    void aShortOutageIsRiddenThroughAndEveryRowImportedOnce() throws Exception {
        Path input = input("short");
        JarProcess run = JarProcess.start(dir, args(input));
        waitForImports(6);

        postgres.stop();
        // Longer than the pool waits for a connection (5 s) after the last write the imports
        // in flight cause (they finish up to 4 s into the outage): some call must fail, or the
        // pool alone rides it out and the run never says the repository was unreachable.
        Thread.sleep(12_000);
        postgres.start();

        int code = run.waitFor(240);
        String output = run.output();
        output.lines().filter(line -> line.contains("the job repository is")).forEach(System.out::println);
        assertThat(code).as(output).isZero();
        assertThat(output).contains("the job repository is unreachable").contains("the job repository is back");
        assertEveryTokenImportedOnce("short");
        assertThat(reportLines()).hasSize(ROWS + 1).allMatch(line -> line.startsWith("row,") || line.contains(",SUCCEEDED,"));
    }

    @Test
    void aLongerOutageFailsTheRunAndTheSameCommandResumesAtOnce() throws Exception {
        Path input = input("long");
        JarProcess run = JarProcess.start(dir, args(input, "--import.repository-outage-tolerance=5s"));
        waitForImports(6);

        postgres.stop();
        long stopped = System.nanoTime();
        int code = run.waitFor(90);
        long downFor = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        String output = run.output();
        assertThat(code).as(output).isEqualTo(1);
        assertThat(output).contains("the job repository was unreachable for more than 5 s: jdbc:postgresql://")
                .contains("re-run the same command once it is back");
        Thread.sleep(Math.max(0, 10_000 - downFor));
        postgres.start();

        long resuming = System.nanoTime();
        int resumed = JarProcess.run(dir, args(input));
        String again = JarProcess.lastOutput(dir);
        System.out.printf("long outage test: exit %d %d ms after the database stopped; the next run exit %d after %d ms%n",
                code, downFor, resumed, Duration.ofNanos(System.nanoTime() - resuming).toMillis());
        // Answers that arrived after the give-up were lost with the run: their rows are settled from the
        // project list, each the only import of unknown outcome on its resource. Never sent twice, never lost.
        assertThat(resumed).as(again).isIn(0, 3);
        assertThat(again).doesNotContain("already running").doesNotContain("in progress");
        assertEveryTokenImportedOnce("long");
        List<String> report = reportLines();
        assertThat(report).hasSize(ROWS + 1);
        assertThat(report.subList(1, report.size())).allMatch(l -> l.contains(",SUCCEEDED,"));
        System.out.printf("long outage test: %d of %d rows IN_DOUBT after the resume%n",
                report.stream().filter(l -> l.contains(",IN_DOUBT,")).count(), ROWS);
    }

    /**
     * The load step's chunk cannot outlive its connection: the outage fails it, and the run
     * resumes the job itself once the database is back, from the last committed chunk.
     */
    @Test
    void anOutageDuringTheLoadStepIsResumedInTheSameRun() throws Exception {
        // Long enough a load that it is still going when the database stops, 3 s after the
        // ledger holds 10,000 of its rows (200,000 took about 20 s to load there, 100,000 half).
        int rows = 100_000;
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            // Expired: judged REJECTED while loading, without a call.
            lines.add("\"" + ImportProcessIT.token("load-" + i).replace("se=2099", "se=2020") + "\"," + REGIONS[i % 3]
                    + "," + KEYS[i % 3]);
        }
        Path input = dir.resolve("load.csv");
        Files.write(input, lines);
        JarProcess run = JarProcess.start(dir, args(input));
        waitForLedgerRows(10_000);

        postgres.stop();
        Thread.sleep(3000);
        postgres.start();

        int code = run.waitFor(300);
        String output = run.output();
        output.lines().filter(line -> line.contains("job repository")).forEach(System.out::println);
        assertThat(code).as(output).isEqualTo(3);
        assertThat(output).contains("failed while the job repository was unreachable; it is back: resuming")
                .contains("REJECTED          " + rows);
        assertThat(reportLines()).hasSize(rows + 1);
        assertThat(emulator.imports()).isZero();
    }

    private void waitForLedgerRows(long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long rows = 0;
        while (rows < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            try (var connection = java.sql.DriverManager.getConnection(postgres.url("outage"), "postgres", "postgres");
                    var result = connection.createStatement().executeQuery("SELECT COUNT(*) FROM import_ledger")) {
                result.next();
                rows = result.getLong(1);
            }
            catch (java.sql.SQLException notYet) {
                // the run has not created the ledger table yet
            }
        }
        assertThat(rows).isGreaterThanOrEqualTo(count);
    }

    private List<String> args(Path input, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.rate-per-target=2", "--import.lock-ttl=3s",
                "--spring.datasource.url=" + postgres.url("outage"), "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(List.of(more));
        return args;
    }

    private Path input(String prefix) throws Exception {
        return ImportProcessIT.threeTargets(dir, prefix, ROWS);
    }

    private void assertEveryTokenImportedOnce(String prefix) {
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEYS[i % 3], ImportProcessIT.token(prefix + "-" + i)))
                    .as("imports of row %d", i + 1).isEqualTo(1);
        }
    }

    private List<String> reportLines() throws Exception {
        try (var reports = Files.list(dir.resolve("reports"))) {
            return Files.readAllLines(reports.sorted().reduce((a, b) -> b).orElseThrow());
        }
    }

    private void waitForImports(int count) throws InterruptedException {
        // Generous: on a loaded machine a JVM may take a minute to start.
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (emulator.imports() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(emulator.imports()).isGreaterThanOrEqualTo(count);
    }
}
