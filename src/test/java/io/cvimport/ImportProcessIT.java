package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The jar as operators run it: exit codes, overlapping runs, SIGTERM and kill -9, its lock, its
 * progress and metrics file. A second run of a finished input and the listing of past runs are
 * job tests (RunAnswersJobTest).
 */
class ImportProcessIT {

    static final String[] KEYS = { "11111111111111111111111111111111", "22222222222222222222222222222222",
            "33333333333333333333333333333333" };
    static final String[] REGIONS = { "westus2", "West Europe", "eastus" };

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEYS).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=S1g" + name.hashCode() + "%2B%3D";
    }

    Path input(String name, List<String> rows) throws Exception {
        Path file = dir.resolve(name);
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        lines.addAll(rows);
        Files.write(file, lines);
        return file;
    }

    private List<String> rows(String prefix, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add("\"" + token(prefix + i) + "\"," + REGIONS[i % 3] + "," + KEYS[i % 3]);
        }
        return rows;
    }

    /** {@code DIR/PREFIX.csv}: {@code count} rows named PREFIX-0, PREFIX-1, ..., over the three targets in turn. */
    static Path threeTargets(Path dir, String prefix, int count) throws IOException {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < count; i++) {
            lines.add("\"" + token(prefix + "-" + i) + "\"," + REGIONS[i % 3] + "," + KEYS[i % 3]);
        }
        return Files.write(dir.resolve(prefix + ".csv"), lines);
    }

    /** The job repository every run of one test shares; {@link ImportProcessPostgresIT} uses PostgreSQL. */
    List<String> repository() {
        return List.of("--spring.datasource.url=" + h2Url());
    }

    private String h2Url() {
        return "jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE";
    }

    /** A connection of the test's own to the job repository (on H2, through the running job's server). */
    Connection openRepository() throws Exception {
        return DriverManager.getConnection(h2Url(), "sa", "");
    }

    List<String> args(Path input, String... more) {
        return argsAt(emulator.endpoint().toString(), input, more);
    }

    private List<String> argsAt(String endpoint, Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + endpoint,
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms",
                "--import.in-doubt-grace=500ms", "--import.lock-ttl=3s"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(repository());
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void progressSummaryAndMetricsFile() throws Exception {
        emulator.importDelay(Duration.ofSeconds(1), Duration.ofMillis(500));
        List<String> rows = rows("metrics-", 30);
        rows.add("\"" + token("metrics-invalid") + "\",westus2," + KEYS[0]);
        Path input = input("metrics.csv", rows);
        Path metrics = dir.resolve("textfile/cvimport.prom");

        assertThat(JarProcess.run(dir, args(input, "--import.rate-per-target=5", "--import.progress-every=500ms",
                "--metrics.textfile=" + metrics))).isEqualTo(3);

        String output = JarProcess.lastOutput(dir);
        assertThat(output).containsPattern("import: \\d+ of 31 rows settled \\(.*\\); [0-9.]+ calls/s, \\d+ answered"
                + " 429; [0-9.]+ rows/(s|min|h), about \\S+ left")
                .contains("SUCCEEDED         30").contains("REJECTED          1")
                .containsPattern("row 31 REJECTED BadRequestInvalidImportToken").contains("report: ");
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : Files.readAllLines(metrics)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        assertThat(samples).containsEntry("cvimport_rows{status=\"SUCCEEDED\"}", 30.0)
                .containsEntry("cvimport_rows{status=\"REJECTED\"}", 1.0)
                .containsEntry("cvimport_api_calls_total{operation=\"import\"}", 31.0)
                .containsEntry("cvimport_run_exit_code", 3.0)
                .containsKey("cvimport_api_throttled_total").containsKey("cvimport_import_retries_total");
        assertThat(samples.get("cvimport_api_calls_total{operation=\"list\"}")).isPositive();
        assertThat(samples.get("cvimport_run_duration_seconds")).isPositive();
    }

    @Test
    void exitCodes() throws Exception {
        Path good = input("good.csv", rows("good-", 3));
        assertThat(JarProcess.run(dir, args(good))).isEqualTo(0);
        assertThat(JarProcess.run(dir, args(dir.resolve("missing.csv")))).isEqualTo(2);
        assertThat(JarProcess.lastOutput(dir)).contains("missing or unreadable").doesNotContain("\tat ");
        assertThat(JarProcess.run(dir, args(input("header.csv", List.of())).subList(1, 2))).isEqualTo(2);
        Files.writeString(dir.resolve("badheader.csv"), "token,zone,key\nt,westus2,k\n");
        assertThat(JarProcess.run(dir, args(dir.resolve("badheader.csv")))).isEqualTo(2);
        assertThat(JarProcess.lastOutput(dir)).contains("no column region");
        assertThat(JarProcess.run(dir, args(good, "--no-such-option=1"))).isEqualTo(2);
        assertThat(JarProcess.run(dir, argsAt("http://example.com", good))).isEqualTo(2);
        assertThat(JarProcess.lastOutput(dir)).contains("only https");
    }

    @Test
    void anOverlappingRunExitsFourAndChangesNothing() throws Exception {
        // The first run outlives the second's start, however slowly a JVM starts on this machine.
        emulator.importDelay(Duration.ofMinutes(5), Duration.ZERO);
        Path input = input("overlap.csv", rows("overlap-", 3));
        JarProcess first = JarProcess.start(dir, args(input));
        waitForImports(3);

        assertThat(JarProcess.run(dir, args(input))).as(JarProcess.lastOutput(dir)).isEqualTo(4);
        assertThat(JarProcess.lastOutput(dir)).contains("in progress").containsPattern("which is running|live database session");
        assertThat(emulator.imports()).isEqualTo(3);
        assertThat(first.isAlive()).isTrue();
        first.terminate();
        assertThat(first.waitFor(180)).as(first.output()).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(3);
    }

    @Test
    void sigtermStopsRestartablyAndTheNextRunFinishes() throws Exception {
        emulator.importDelay(Duration.ofSeconds(3), Duration.ZERO);
        Path input = input("term.csv", rows("term-", 9));
        JarProcess first = JarProcess.start(dir, args(input, "--import.rate-per-target=1"));
        waitForImports(3);
        first.terminate();
        assertThat(first.waitFor(60)).isEqualTo(1);
        assertThat(first.output()).contains("stop requested");

        int resumed = JarProcess.run(dir, args(input));
        assertThat(resumed).as(JarProcess.lastOutput(dir)).isEqualTo(0);
        for (int i = 0; i < 9; i++) {
            assertThat(emulator.importsOf(KEYS[i % 3], token("term-" + i))).isEqualTo(1);
        }
    }

    /** Rows all for one target resource, so that its rate paces every import of the run. */
    List<String> rowsOfOneTarget(String prefix, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add("\"" + token(prefix + i) + "\"," + REGIONS[0] + "," + KEYS[0]);
        }
        return rows;
    }

    /** The arguments with another lock-ttl (an option given twice would be two values). */
    private List<String> argsWithLockTtl(Path input, String ttl, String... more) {
        List<String> args = args(input, more);
        args.removeIf(arg -> arg.startsWith("--import.lock-ttl="));
        args.add("--import.lock-ttl=" + ttl);
        return args;
    }

    /**
     * kill -9, then the same command at once: the killed run's lock died with it, so the
     * next run starts now (not after a lock time-to-live) and finishes every row once.
     */
    @Test
    void aKilledRunsLockDoesNotHoldUpTheNextRun() throws Exception {
        emulator.importDelay(Duration.ofSeconds(2), Duration.ZERO);
        Path input = input("killed-lock.csv", rows("killed-lock-", 6));
        JarProcess first = JarProcess.start(dir, argsWithLockTtl(input, "120s", "--import.rate-per-target=1"));
        waitForImports(2);
        first.kill9();

        long killedAt = System.nanoTime();
        int code = JarProcess.run(dir, argsWithLockTtl(input, "120s"));
        String output = JarProcess.lastOutput(dir);
        assertThat(code).as(output).isEqualTo(0);
        assertThat(output).contains("Resuming execution");
        System.out.printf("lock after kill -9 (%s): the next run ended %d ms after the kill%n", getClass().getSimpleName(),
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        for (int i = 0; i < 6; i++) {
            assertThat(emulator.importsOf(KEYS[i % 3], token("killed-lock-" + i))).isEqualTo(1);
        }
    }

    /**
     * Fencing: another run takes the lock over while this one is mid-flight (here the
     * generation is bumped in the repository, as a takeover does). From then on the run
     * sends no import; it stops with exit 1, and the next run finishes every row once.
     */
    @Test
    void aRunWhoseLockWasTakenOverSendsNothingMore() throws Exception {
        emulator.importDelay(Duration.ofMillis(500), Duration.ZERO);
        Path input = input("fenced.csv", rowsOfOneTarget("fenced-", 8));
        // One target at half a call per second: the next import is two seconds away.
        JarProcess run = JarProcess.start(dir, args(input, "--import.rate-per-target=0.5"));
        waitForImports(2);
        long claimedAtTakeover;
        try (Connection connection = openRepository(); var statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE run_lock SET generation = generation + 1")).isEqualTo(1);
            // Rows claimed before the takeover may still be sent (their import may be on its way); no other.
            var claimed = statement.executeQuery("SELECT COUNT(*) FROM import_ledger WHERE sent_at IS NOT NULL");
            claimed.next();
            claimedAtTakeover = claimed.getLong(1);
        }
        assertThat(claimedAtTakeover).as("rows were left to send").isLessThan(8);

        assertThat(run.waitFor(180)).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("lost its lock");
        assertThat(emulator.imports()).as("imports by the run that lost its lock").isLessThanOrEqualTo(claimedAtTakeover);

        assertThat(JarProcess.run(dir, args(input))).as(JarProcess.lastOutput(dir)).isEqualTo(0);
        for (int i = 0; i < 8; i++) {
            assertThat(emulator.importsOf(KEYS[0], token("fenced-" + i))).isEqualTo(1);
        }
    }

    /**
     * kill -9 at seeded random moments, from start-up to imports in flight, then runs to the
     * end: every row has its outcome and no token was imported twice.
     */
    @Test
    void killNineAtRandomMomentsNeverImportsTwice() throws Exception {
        long seed = Long.getLong("crash.seed", 20261129L);
        int cycles = Integer.getInteger("crash.cycles", 12);
        Random random = new Random(seed);
        int rowCount = 90;
        Path input = input("crash.csv", rows("crash-", rowCount));
        List<String> args = args(input, "--import.rate-per-target=15");
        int killed = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            JarProcess run = JarProcess.start(dir, args);
            Thread.sleep(500 + random.nextInt(3500));
            if (!run.isAlive()) {
                // A killed run's lock dies with it: the next run is never refused.
                assertThat(run.waitFor(10)).as("run %d after %d kills (seed %d):%n%s", cycle + 1, killed, seed,
                        run.output()).isNotEqualTo(4);
                break;
            }
            run.kill9();
            killed++;
        }
        int code = JarProcess.run(dir, args);
        String summary = JarProcess.lastOutput(dir);
        assertThat(code).as("seed %d, %d kills; last output:%n%s", seed, killed, summary).isIn(0, 3);
        int imported = 0;
        for (int i = 0; i < rowCount; i++) {
            int imports = emulator.importsOf(KEYS[i % 3], token("crash-" + i));
            assertThat(imports).as("imports of row %d (seed %d)", i + 1, seed).isLessThanOrEqualTo(1);
            imported += imports;
        }
        Path report = Files.list(dir.resolve("reports")).reduce((a, b) -> b).orElseThrow();
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize(rowCount + 1);
        long inDoubt = lines.stream().filter(l -> l.contains(",IN_DOUBT,")).count();
        long succeeded = lines.stream().filter(l -> l.contains(",SUCCEEDED,")).count();
        System.out.printf("crash test: seed %d, %d kills, %d rows, %d imported once, %d SUCCEEDED, %d IN_DOUBT%n",
                seed, killed, rowCount, imported, succeeded, inDoubt);
        // After a kill, each resource has at most one import of unknown outcome: decided, never IN_DOUBT.
        assertThat(inDoubt).as("rows IN_DOUBT (seed %d)", seed).isZero();
        assertThat(succeeded).isEqualTo(rowCount);
        assertThat(imported).isGreaterThanOrEqualTo((int) succeeded);
    }

    void waitForImports(int count) throws InterruptedException {
        // Generous: on a loaded machine a JVM may take a minute to start.
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (emulator.imports() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(emulator.imports()).isGreaterThanOrEqualTo(count);
    }
}
