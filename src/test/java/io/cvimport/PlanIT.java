package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Issue 13: {@code --plan} as the jar, against the emulator. The plan flags exactly the rows
 * the real run then does not import, sends no import, lists each resource once, and takes
 * no run lock.
 */
class PlanIT {

    static final String GOOD_KEY = "13131313131313131313131313131313";
    static final String FULL_KEY = "31313131313131313131313131313131";
    static final String BAD_KEY = "99999999999999999999999999999999";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        // An F0 tier everywhere: two projects per resource; the full one holds one already.
        emulator = new CustomVisionEmulator().key(GOOD_KEY, FULL_KEY).projectLimit(GOOD_KEY, 2)
                .projectLimit(FULL_KEY, 2).importDelay(Duration.ofMillis(200), Duration.ZERO);
        emulator.createForeignProject(FULL_KEY);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name, String expiry) {
        return "https://cvexports.blob.core.windows.net/exports/plan/" + name + ".zip?sv=2021-08-06&se=" + expiry
                + "&sr=b&sp=r&sig=PlAnSiG" + Math.abs(name.hashCode()) + "%2B%3D";
    }

    static String token(String name) {
        return token(name, "2099-01-01T00%3A00%3A00Z");
    }

    private List<String> args(Path input, Path report, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--report=" + report,
                "--customvision.endpoint=" + emulator.endpoint(), "--import.project-limit=2",
                // Sends of one resource half a second apart: answered in the order they leave.
                "--import.rate-per-target=2",
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE"));
        args.addAll(List.of(more));
        return args;
    }

    private static Map<Long, CSVRecord> rows(Path report) throws Exception {
        Map<Long, CSVRecord> rows = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(in)) {
                rows.put(Long.parseLong(record.get("row")), record);
            }
        }
        return rows;
    }

    private long count(String table) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db/repository")
                + ";AUTO_SERVER=TRUE", "sa", ""); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void thePlanFlagsExactlyTheRowsTheRealRunDoesNotImportAndImportsNothing() throws Exception {
        Path input = dir.resolve("tenants.csv");
        Files.write(input, List.of("token,region,key,tenant",
                "\"" + token("good-1") + "\",westus2," + GOOD_KEY + ",t1",
                "\"" + token("good-2") + "\",westus2," + GOOD_KEY + ",t2",
                "\"" + token("good-1") + "\",West US 2," + GOOD_KEY + ",t3",
                "\"" + token("expired", "2020-01-01T00%3A00%3A00Z") + "\",westus2," + GOOD_KEY + ",t4",
                "\"" + token("bad-1") + "\",westus2," + BAD_KEY + ",t5",
                "\"" + token("bad-2") + "\",westus2," + BAD_KEY + ",t6",
                "\"" + token("full-1") + "\",westus2," + FULL_KEY + ",t7",
                "\"" + token("full-2") + "\",westus2," + FULL_KEY + ",t8",
                "\"" + token("full-3") + "\",westus2," + FULL_KEY + ",t9",
                "\"" + token("nowhere") + "\",moon-1," + GOOD_KEY + ",t10"));
        Path planReport = dir.resolve("plan.csv");

        // At DEBUG everywhere, HttpClient included, as SecretsIT runs a real run: the output is scanned below.
        JarProcess plan = JarProcess.start(dir, args(input, planReport, "--plan", "--logging.level.root=DEBUG",
                "--logging.level.io.cvimport=DEBUG", "--logging.level.org.apache.hc=DEBUG"), Map.of());
        assertThat(plan.waitFor(180)).as(plan.output()).isEqualTo(3);
        String planOutput = plan.output();
        System.out.println(planOutput.substring(Math.max(0, planOutput.indexOf("Plan of "))));

        assertThat(emulator.imports()).as("imports sent by the plan").isZero();
        assertThat(emulator.listings(GOOD_KEY)).as("listings of the good resource").isEqualTo(1);
        assertThat(emulator.listings(FULL_KEY)).as("listings of the full resource").isEqualTo(1);
        Map<Long, CSVRecord> planned = rows(planReport);
        Map<Long, String> verdicts = new TreeMap<>();
        planned.forEach((row, record) -> verdicts.put(row, record.get("plan")));
        assertThat(verdicts).isEqualTo(new TreeMap<>(Map.of(1L, "WOULD_IMPORT", 2L, "WOULD_IMPORT", 3L, "DUPLICATE",
                4L, "EXPIRED", 5L, "WOULD_BE_REJECTED", 6L, "WOULD_BE_REJECTED", 7L, "WOULD_IMPORT", 8L,
                "WOULD_EXCEED_LIMIT", 9L, "WOULD_EXCEED_LIMIT", 10L, "INVALID")));
        assertThat(planned.get(5L).get("errorCode")).isEqualTo("401");
        assertThat(planned.get(7L).get("tenant")).isEqualTo("t7");
        assertThat(planOutput).contains("WOULD_EXCEED_LIMIT").contains("capacity");
        assertThat(planOutput).contains("DEBUG");
        for (String secret : List.of(GOOD_KEY, FULL_KEY, BAD_KEY, "PlAnSiG", "cvexports", "exports/plan")) {
            assertThat(planOutput).doesNotContain(secret);
            assertThat(Files.readString(planReport)).doesNotContain(secret);
        }

        // The plan left nothing in the job repository: no job, no ledger row, no lock, no claim.
        for (String table : List.of("BATCH_JOB_INSTANCE", "import_ledger", "run_lock", "import_claim",
                "target_resource")) {
            assertThat(count(table)).as("rows in " + table + " after the plan").isZero();
        }

        Path runReport = dir.resolve("run.csv");
        assertThat(JarProcess.run(dir, args(input, runReport))).as(JarProcess.lastOutput(dir)).isEqualTo(3);
        Map<Long, CSVRecord> ran = rows(runReport);
        assertThat(ran.keySet()).isEqualTo(planned.keySet());
        for (long row : planned.keySet()) {
            String verdict = planned.get(row).get("plan");
            boolean wouldGoThrough = verdict.equals("WOULD_IMPORT") || verdict.equals("DUPLICATE")
                    || verdict.equals("ALREADY_IMPORTED");
            String status = ran.get(row).get("status");
            boolean wentThrough = status.equals("SUCCEEDED") || status.equals("DUPLICATE")
                    || status.equals("ALREADY_IMPORTED");
            assertThat(wentThrough).as("row " + row + ": planned " + verdict + ", ran " + status)
                    .isEqualTo(wouldGoThrough);
        }
        assertThat(ran.get(8L).get("errorCode")).isEqualTo("BadRequestExceedProjectLimit");
        assertThat(ran.get(9L).get("errorCode")).isEqualTo("BadRequestExceedProjectLimit");
        assertThat(ran.get(5L).get("errorCode")).isEqualTo(planned.get(5L).get("errorCode"));

        // Planned again after the run: what it imported is now ALREADY_IMPORTED, and what it
        // refused stays as it ended (issue 27: a re-run of a finished input sends nothing).
        long importsAfterRun = emulator.imports();
        Path again = dir.resolve("plan-again.csv");
        assertThat(JarProcess.run(dir, args(input, again, "--plan"))).isEqualTo(3);
        assertThat(emulator.imports()).isEqualTo(importsAfterRun);
        Map<Long, CSVRecord> replanned = rows(again);
        assertThat(replanned.get(1L).get("plan")).isEqualTo("ALREADY_IMPORTED");
        assertThat(replanned.get(7L).get("plan")).isEqualTo("ALREADY_IMPORTED");
        assertThat(replanned.get(8L).get("plan")).isEqualTo("ENDED");
        assertThat(replanned.get(8L).get("errorCode")).isEqualTo("BadRequestExceedProjectLimit");
    }

    /**
     * 2,000 rows over 20 targets, with the emulator throttling at 10 calls/s per resource and
     * 20 ms per call: one listing per resource whatever the number of rows. Prints the figures
     * of docs/benchmark.md (wall time includes the JVM's start).
     */
    @Test
    void twoThousandRowsOverTwentyTargetsTakeOneListingPerTarget() throws Exception {
        emulator.ratePerSecond(10).latency(Duration.ofMillis(20));
        List<String> keys = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int t = 0; t < 20; t++) {
            keys.add(String.format("%032d", 1000 + t));
            emulator.key(keys.get(t));
        }
        for (int i = 0; i < 2000; i++) {
            lines.add("\"" + token("bulk-" + i) + "\",westus2," + keys.get(i % 20));
        }
        Path input = dir.resolve("bulk.csv");
        Files.write(input, lines);
        long callsBefore = emulator.calls();
        long started = System.nanoTime();

        List<String> args = args(input, dir.resolve("bulk-plan.csv"), "--plan");
        args.removeIf(arg -> arg.startsWith("--import.rate-per-target=") || arg.startsWith("--import.project-limit="));
        args.add("--import.rate-per-target=10");
        assertThat(JarProcess.run(dir, args)).as(JarProcess.lastOutput(dir)).isEqualTo(0);
        long millis = (System.nanoTime() - started) / 1_000_000;

        for (String key : keys) {
            assertThat(emulator.listings(key)).as("listings of " + key).isEqualTo(1);
        }
        assertThat(emulator.imports()).isZero();
        assertThat(rows(dir.resolve("bulk-plan.csv"))).hasSize(2000);
        System.out.printf("plan of 2,000 rows / 20 targets: %d ms wall (JVM start included), %d API calls"
                + " (%d answered 429), 0 imports%n%s%n", millis, emulator.calls() - callsBefore, emulator.throttled(),
                JarProcess.lastOutput(dir));
    }

    @Test
    void aPlanRunsWhileARunOfTheSameInputHoldsItsLock() throws Exception {
        Path input = dir.resolve("busy.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("busy-1") + "\",westus2," + GOOD_KEY));
        emulator.holdImports();
        JarProcess run = JarProcess.start(dir, args(input, dir.resolve("busy-run.csv")), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (emulator.heldImports() == 0) {
            assertThat(System.nanoTime()).as("the run's import to arrive").isLessThan(deadline);
            Thread.sleep(50);
        }

        // The run sent the row: a run awaits its project (issue 27), and it goes through: exit 0.
        assertThat(JarProcess.run(dir, args(input, dir.resolve("busy-plan.csv"), "--plan")))
                .as(JarProcess.lastOutput(dir)).isZero();
        assertThat(JarProcess.lastOutput(dir)).contains("0 of 1 rows would be imported, 1 already imported,"
                + " duplicates or awaited").doesNotContain("another run");
        assertThat(rows(dir.resolve("busy-plan.csv")).get(1L).get("plan")).isEqualTo("WOULD_AWAIT");
        assertThat(emulator.heldImports()).isEqualTo(1);

        run.kill9();
    }
}
