package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Issue 27: {@code --plan} agrees with the run, row by row. The jar plans an input of token
 * and source rows, runs it, plans it again and runs it again; each plan's verdicts are
 * compared with the outcomes of the run that follows it.
 */
class PlanAgreesWithRunIT {

    static final String TARGET = "27272727272727272727272727272727";
    static final String SOURCE = "72727272727272727272727272727272";
    static final String BAD_KEY = "99999999999999999999999999999999";
    static final String MISSING_PROJECT = "00000000-0000-4000-8000-000000000027";

    @TempDir
    Path dir;

    /**
     * What each verdict means in a run's report. A verdict of a row that an earlier run of
     * the input ended names that row's status itself (see {@link #agree}).
     */
    static final Map<String, Set<String>> OUTCOMES = Map.of("WOULD_IMPORT", Set.of("SUCCEEDED"),
            "ALREADY_IMPORTED", Set.of("ALREADY_IMPORTED", "SUCCEEDED"), "DUPLICATE", Set.of("DUPLICATE"),
            "INVALID", Set.of("INVALID"), "EXPIRED", Set.of("REJECTED"), "WOULD_BE_REJECTED", Set.of("REJECTED"),
            "WOULD_EXCEED_LIMIT", Set.of("REJECTED"), "ENDED", Set.of("REJECTED", "FAILED", "IN_DOUBT"));

    @Test
    void eachPlanSaysWhatTheRunThatFollowsItDoesRowByRow() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET, SOURCE)
                .importDelay(Duration.ofMillis(200), Duration.ZERO)) {
            String cats = emulator.sourceProject(SOURCE, "cats", 2, 3);
            String dogs = emulator.sourceProject(SOURCE, "dogs", 2, 3);
            Path input = dir.resolve("mixed.csv");
            Files.write(input, List.of("sourceRegion,sourceKey,projectId,token,region,key",
                    "eastus," + SOURCE + "," + cats + ",,westus2," + TARGET,
                    "eastus," + SOURCE + "," + MISSING_PROJECT + ",,westus2," + TARGET,
                    "eastus," + SOURCE + "," + dogs + ",,westus2," + TARGET,
                    ",,,\"" + PlanIT.token("plain") + "\",westus2," + TARGET,
                    ",,,\"" + PlanIT.token("keyless") + "\",westus2," + BAD_KEY,
                    "eastus," + SOURCE + "," + cats + ",,westus2," + TARGET,
                    ",,,\"" + PlanIT.token("gone", "2020-01-01T00%3A00%3A00Z") + "\",westus2," + TARGET,
                    ",,,\"" + PlanIT.token("invalid-token") + "\",westus2," + TARGET,
                    ",,,\"" + PlanIT.token("will-fail") + "\",westus2," + TARGET));
            // Rows 8 and 9: only the service knows, at import, that the token is invalid or the
            // import fails; no plan can see it before the first run.
            Set<Long> unknowableBeforeTheFirstRun = Set.of(8L, 9L);

            Map<Long, CSVRecord> firstPlan = plan(emulator, input, "plan-1.csv");
            assertThat(emulator.listings(SOURCE)).as("listings of the source resource").isEqualTo(1);
            assertThat(emulator.imports()).isZero();
            assertThat(emulator.exportsOf(SOURCE)).as("exports made by the plan").isZero();
            assertThat(firstPlan.get(2L).get("plan")).isEqualTo("WOULD_BE_REJECTED");
            assertThat(firstPlan.get(2L).get("errorCode")).isEqualTo("NotFoundProject");

            assertThat(JarProcess.run(dir, args(emulator, input, dir.resolve("run-1.csv"))))
                    .as(JarProcess.lastOutput(dir)).isEqualTo(3);
            Map<Long, CSVRecord> firstRun = rows(dir.resolve("run-1.csv"));
            agree(firstPlan, firstRun, unknowableBeforeTheFirstRun);
            assertThat(firstRun.get(8L).get("status")).isEqualTo("REJECTED");
            assertThat(firstRun.get(9L).get("status")).isEqualTo("FAILED");

            // The run finished: a re-run sends nothing, and the plan says so of every row.
            long imports = emulator.imports();
            Map<Long, CSVRecord> secondPlan = plan(emulator, input, "plan-2.csv");
            assertThat(JarProcess.run(dir, args(emulator, input, dir.resolve("run-2.csv"))))
                    .as(JarProcess.lastOutput(dir)).isEqualTo(3);
            Matcher done = Pattern.compile("already imported by execution (\\d+)").matcher(JarProcess.lastOutput(dir));
            assertThat(done.find()).as(JarProcess.lastOutput(dir)).isTrue();
            assertThat(emulator.imports()).isEqualTo(imports);
            // The re-run wrote no report of its own: its outcomes are the rows as the ledger has them now.
            assertThat(JarProcess.run(dir, List.of("--report-of=" + done.group(1), "--report=" + dir.resolve("run-2.csv"),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"))))
                    .as(JarProcess.lastOutput(dir)).isZero();
            agree(secondPlan, rows(dir.resolve("run-2.csv")), Set.of());
            assertThat(secondPlan.get(8L).get("plan")).isEqualTo("ENDED");
            assertThat(secondPlan.get(9L).get("plan")).isEqualTo("ENDED");
        }
    }

    private Map<Long, CSVRecord> plan(CustomVisionEmulator emulator, Path input, String report) throws Exception {
        List<String> args = args(emulator, input, dir.resolve(report));
        args.add("--plan");
        assertThat(JarProcess.run(dir, args)).as(JarProcess.lastOutput(dir)).isEqualTo(3);
        return rows(dir.resolve(report));
    }

    /** Every row's verdict is the outcome its run gave it, and a refusal's code is the run's. */
    private static void agree(Map<Long, CSVRecord> plan, Map<Long, CSVRecord> run, Set<Long> unknowable) {
        assertThat(run.keySet()).isEqualTo(plan.keySet());
        List<String> disagreements = new ArrayList<>();
        for (long row : plan.keySet()) {
            String verdict = plan.get(row).get("plan");
            String status = run.get(row).get("status");
            boolean agrees = OUTCOMES.getOrDefault(verdict, Set.of()).contains(status);
            if (agrees && Set.of("WOULD_BE_REJECTED", "ENDED").contains(verdict)) {
                agrees = plan.get(row).get("errorCode").equals(run.get(row).get("errorCode"));
            }
            if (!agrees && !unknowable.contains(row)) {
                disagreements.add("row " + row + ": planned " + verdict + " " + plan.get(row).get("errorCode")
                        + ", ran " + status + " " + run.get(row).get("errorCode"));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private List<String> args(CustomVisionEmulator emulator, Path input, Path report) {
        return new ArrayList<>(List.of("--input=" + input, "--report=" + report,
                "--customvision.endpoint=" + emulator.endpoint(), "--import.rate-per-target=5",
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository")));
    }

    static Map<Long, CSVRecord> rows(Path report) throws Exception {
        Map<Long, CSVRecord> rows = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(in)) {
                rows.put(Long.parseLong(record.get("row")), record);
            }
        }
        return rows;
    }
}
