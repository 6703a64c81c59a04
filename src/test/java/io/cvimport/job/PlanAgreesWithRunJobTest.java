package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

import io.cvimport.report.ReportRows;

/**
 * Issue 27: {@code --plan} agrees with the run, row by row. The command plans an input of
 * token and source rows, runs it, plans it again and runs it again; each plan's verdicts are
 * compared with the outcomes of the run that follows it.
 */
class PlanAgreesWithRunJobTest extends CommandFixture {

    static final String TARGET = key(PlanAgreesWithRunJobTest.class, "target");
    static final String SOURCE = key(PlanAgreesWithRunJobTest.class, "source");
    static final String BAD_KEY = key(PlanAgreesWithRunJobTest.class, "bad");
    static final String MISSING_PROJECT = "00000000-0000-4000-8000-000000000027";

    /**
     * What each verdict means in a run's report. A verdict of a row that an earlier run of
     * the input ended names that row's status itself (see {@link #agree}).
     */
    static final Map<String, Set<String>> OUTCOMES = Map.of("WOULD_IMPORT", Set.of("SUCCEEDED"),
            "ALREADY_IMPORTED", Set.of("ALREADY_IMPORTED", "SUCCEEDED"), "DUPLICATE", Set.of("DUPLICATE"),
            "INVALID", Set.of("INVALID"), "EXPIRED", Set.of("REJECTED"), "WOULD_BE_REJECTED", Set.of("REJECTED"),
            "WOULD_EXCEED_LIMIT", Set.of("REJECTED"), "ENDED", Set.of("REJECTED", "FAILED", "IN_DOUBT"));

    @Test
    void eachPlanSaysWhatTheRunThatFollowsItDoesRowByRow(CapturedOutput console) throws Exception {
        emulator.key(TARGET, SOURCE).importDelay(Duration.ofMillis(200), Duration.ZERO);
        String cats = emulator.sourceProject(SOURCE, "cats", 2, 3);
        String dogs = emulator.sourceProject(SOURCE, "dogs", 2, 3);
        String expired = token("gone").replace("se=2099-01-01T00%3A00%3A00Z", "se=2020-01-01T00%3A00%3A00Z");
        Path input = input("mixed", "sourceRegion,sourceKey,projectId,token,region,key", List.of(
                "eastus," + SOURCE + "," + cats + ",,westus2," + TARGET,
                "eastus," + SOURCE + "," + MISSING_PROJECT + ",,westus2," + TARGET,
                "eastus," + SOURCE + "," + dogs + ",,westus2," + TARGET,
                ",,,\"" + token("plain") + "\",westus2," + TARGET,
                ",,,\"" + token("keyless") + "\",westus2," + BAD_KEY,
                "eastus," + SOURCE + "," + cats + ",,westus2," + TARGET,
                ",,,\"" + expired + "\",westus2," + TARGET,
                ",,,\"" + token("invalid-token") + "\",westus2," + TARGET,
                ",,,\"" + token("will-fail") + "\",westus2," + TARGET));
        // Rows 8 and 9: only the service knows, at import, that the token is invalid or the
        // import fails; no plan can see it before the first run.
        Set<Long> unknowableBeforeTheFirstRun = Set.of(8L, 9L);

        Map<Long, CSVRecord> firstPlan = plan(console, input, "plan-1.csv");
        assertThat(emulator.listings(SOURCE)).as("listings of the source resource").isEqualTo(1);
        assertThat(emulator.imports()).isZero();
        assertThat(emulator.exportsOf(SOURCE)).as("exports made by the plan").isZero();
        assertThat(firstPlan.get(2L).get("plan")).isEqualTo("WOULD_BE_REJECTED");
        assertThat(firstPlan.get(2L).get("errorCode")).isEqualTo("NotFoundProject");

        assertThat(run(console, input, "run-1.csv")).as(output).isEqualTo(3);
        Map<Long, CSVRecord> firstRun = ReportRows.of(dir.resolve("run-1.csv"));
        agree(firstPlan, firstRun, unknowableBeforeTheFirstRun);
        assertThat(firstRun.get(8L).get("status")).isEqualTo("REJECTED");
        assertThat(firstRun.get(9L).get("status")).isEqualTo("FAILED");

        // The run finished: a re-run sends nothing, and the plan says so of every row.
        long imports = emulator.imports();
        Map<Long, CSVRecord> secondPlan = plan(console, input, "plan-2.csv");
        assertThat(run(console, input, "run-2.csv")).as(output).isEqualTo(3);
        Matcher done = Pattern.compile("already imported by execution (\\d+)").matcher(output);
        assertThat(done.find()).as(output).isTrue();
        assertThat(emulator.imports()).isEqualTo(imports);
        // The re-run wrote no report of its own: its outcomes are the rows as the ledger has them now.
        assertThat(command(console, "--report-of=" + done.group(1), "--report=" + dir.resolve("run-2.csv")))
                .as(output).isZero();
        agree(secondPlan, ReportRows.of(dir.resolve("run-2.csv")), Set.of());
        assertThat(secondPlan.get(8L).get("plan")).isEqualTo("ENDED");
        assertThat(secondPlan.get(9L).get("plan")).isEqualTo("ENDED");
    }

    private Map<Long, CSVRecord> plan(CapturedOutput console, Path input, String report) throws Exception {
        assertThat(command(console, "--plan", "--input=" + input, "--report=" + dir.resolve(report),
                "--import.rate-per-target=5")).as(output).isEqualTo(3);
        return ReportRows.of(dir.resolve(report));
    }

    private int run(CapturedOutput console, Path input, String report) throws Exception {
        return command(console, "--input=" + input, "--report=" + dir.resolve(report), "--import.rate-per-target=5");
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
}
