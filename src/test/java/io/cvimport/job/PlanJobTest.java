package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;

import io.cvimport.report.ReportRows;

/**
 * Issue 13: {@code --plan} against the emulator. The plan flags exactly the rows the real run
 * then does not import, sends no import, lists each resource once, and leaves nothing in the
 * job repository (a plan beside a running run, and the figures of 2,000 rows, are PlanIT's).
 */
class PlanJobTest extends CommandFixture {

    static final String GOOD_KEY = key(PlanJobTest.class, "good");
    static final String FULL_KEY = key(PlanJobTest.class, "full");
    static final String BAD_KEY = key(PlanJobTest.class, "bad");
    /** The tables a run writes: a plan writes none of them. */
    static final List<String> RUN_TABLES = List.of("BATCH_JOB_INSTANCE", "import_ledger", "run_lock", "import_claim",
            "target_resource");
    static final List<String> DEBUG_LOGGERS = List.of(LoggingSystem.ROOT_LOGGER_NAME, "io.cvimport", "org.apache.hc");

    private String row(String token, String region, String key, String tenant) {
        return "\"" + token + "\"," + region + "," + key + "," + tenant;
    }

    @Test
    void thePlanFlagsExactlyTheRowsTheRealRunDoesNotImportAndImportsNothing(CapturedOutput console) throws Exception {
        // An F0 tier everywhere: two projects per resource; the full one holds one already.
        emulator.key(GOOD_KEY, FULL_KEY).projectLimit(GOOD_KEY, 2).projectLimit(FULL_KEY, 2)
                .importDelay(Duration.ofMillis(200), Duration.ZERO);
        emulator.createForeignProject(FULL_KEY);
        String expired = token("expired").replace("se=2099-01-01T00%3A00%3A00Z", "se=2020-01-01T00%3A00%3A00Z");
        Path input = input("tenants", "token,region,key,tenant", List.of(row(token("good-1"), "westus2", GOOD_KEY, "t1"),
                row(token("good-2"), "westus2", GOOD_KEY, "t2"), row(token("good-1"), "West US 2", GOOD_KEY, "t3"),
                row(expired, "westus2", GOOD_KEY, "t4"), row(token("bad-1"), "westus2", BAD_KEY, "t5"),
                row(token("bad-2"), "westus2", BAD_KEY, "t6"), row(token("full-1"), "westus2", FULL_KEY, "t7"),
                row(token("full-2"), "westus2", FULL_KEY, "t8"), row(token("full-3"), "westus2", FULL_KEY, "t9"),
                row(token("nowhere"), "moon-1", GOOD_KEY, "t10")));
        Path planReport = dir.resolve("plan.csv");
        Map<String, Long> before = rowsOf(RUN_TABLES);

        // At DEBUG everywhere, HttpClient included, as SecretsIT runs a real run: the output is scanned below.
        assertThat(atDebug(() -> plan(console, input, planReport))).as(output).isEqualTo(3);
        String planOutput = output;

        assertThat(emulator.imports()).as("imports sent by the plan").isZero();
        assertThat(emulator.listings(GOOD_KEY)).as("listings of the good resource").isEqualTo(1);
        assertThat(emulator.listings(FULL_KEY)).as("listings of the full resource").isEqualTo(1);
        Map<Long, CSVRecord> planned = ReportRows.of(planReport);
        Map<Long, String> verdicts = new TreeMap<>();
        planned.forEach((row, record) -> verdicts.put(row, record.get("plan")));
        assertThat(verdicts).isEqualTo(new TreeMap<>(Map.of(1L, "WOULD_IMPORT", 2L, "WOULD_IMPORT", 3L, "DUPLICATE",
                4L, "EXPIRED", 5L, "WOULD_BE_REJECTED", 6L, "WOULD_BE_REJECTED", 7L, "WOULD_IMPORT", 8L,
                "WOULD_EXCEED_LIMIT", 9L, "WOULD_EXCEED_LIMIT", 10L, "INVALID")));
        assertThat(planned.get(5L).get("errorCode")).isEqualTo("401");
        assertThat(planned.get(7L).get("tenant")).isEqualTo("t7");
        assertThat(planOutput).contains("WOULD_EXCEED_LIMIT").contains("capacity");
        assertThat(planOutput).contains("DEBUG");
        for (String secret : List.of(GOOD_KEY, FULL_KEY, BAD_KEY, "abc%2Bdef%3D", "cvexports",
                "exports/" + getClass().getSimpleName())) {
            assertThat(planOutput).doesNotContain(secret);
            assertThat(Files.readString(planReport)).doesNotContain(secret);
        }
        // The plan left nothing in the job repository: no job, no ledger row, no lock, no claim.
        assertThat(rowsOf(RUN_TABLES)).as("rows after the plan").isEqualTo(before);

        Path runReport = dir.resolve("run.csv");
        assertThat(run(console, input, "run.csv")).as(output).isEqualTo(3);
        Map<Long, CSVRecord> ran = ReportRows.of(runReport);
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
        assertThat(plan(console, input, again)).as(output).isEqualTo(3);
        assertThat(emulator.imports()).isEqualTo(importsAfterRun);
        Map<Long, CSVRecord> replanned = ReportRows.of(again);
        assertThat(replanned.get(1L).get("plan")).isEqualTo("ALREADY_IMPORTED");
        assertThat(replanned.get(7L).get("plan")).isEqualTo("ALREADY_IMPORTED");
        assertThat(replanned.get(8L).get("plan")).isEqualTo("ENDED");
        assertThat(replanned.get(8L).get("errorCode")).isEqualTo("BadRequestExceedProjectLimit");
    }

    private int plan(CapturedOutput console, Path input, Path report) throws Exception {
        return command(console, "--plan", "--input=" + input, "--report=" + report, "--import.project-limit=2",
                "--import.rate-per-target=2");
    }

    private int run(CapturedOutput console, Path input, String report) throws Exception {
        return command(console, "--input=" + input, "--report=" + dir.resolve(report), "--import.project-limit=2",
                "--import.rate-per-target=2");
    }

    /** As with {@code --logging.level.root=DEBUG} (and the same for io.cvimport and HttpClient). */
    private int atDebug(java.util.concurrent.Callable<Integer> command) throws Exception {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        Map<String, LogLevel> levels = new LinkedHashMap<>();
        DEBUG_LOGGERS.forEach(name -> levels.put(name, logging.getLoggerConfiguration(name).getConfiguredLevel()));
        DEBUG_LOGGERS.forEach(name -> logging.setLogLevel(name, LogLevel.DEBUG));
        try {
            return command.call();
        }
        finally {
            levels.forEach(logging::setLogLevel);
        }
    }

    private Map<String, Long> rowsOf(List<String> tables) {
        Map<String, Long> rows = new LinkedHashMap<>();
        tables.forEach(table -> rows.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class)));
        return rows;
    }
}
