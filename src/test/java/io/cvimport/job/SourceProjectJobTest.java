package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.RowStatus;

/**
 * Rows that name their source project: exported just before their import, over real HTTP
 * against the emulator; identity, refusals, retries and expired tokens.
 */
@TestPropertySource(properties = {
        // A context of its own: its sources and targets (uksouth, australiaeast) paced at 10 calls a
        // second, and the timeout and rounds SourceBudgetJobTest was written with.
        "import.rates.uksouth=10",
        "import.rates.australiaeast=10",
        "import.timeout=5s",
        "import.progress-every=10s" })
class SourceProjectJobTest extends JobFixture {

    static final String SOURCE_A = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    static final String SOURCE_A_ROTATED = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5b";
    static final String SOURCE_B = "5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";
    static final String TARGET_A = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";
    static final String TARGET_B = "7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b";
    static final String TARGET_C = "7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c";
    static final String HEADER = "sourceRegion,sourceKey,projectId,token,region,key,tenant";

    @BeforeEach
    void defaults() {
        emulator.key(SOURCE_A, SOURCE_B, TARGET_A, TARGET_B, TARGET_C).linkKey(SOURCE_A_ROTATED, SOURCE_A)
                .importDelay(Duration.ofMillis(200), Duration.ofMillis(100));
    }

    private Path input(String name, List<String> rows) throws IOException {
        return input(name, HEADER, rows);
    }

    private List<CSVRecord> reportOf(Path input) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(report(input)))).getRecords();
    }

    private static String row(String sourceRegion, String sourceKey, String projectId, String targetKey) {
        return sourceRegion + "," + sourceKey + "," + projectId + ",,westus2," + targetKey + ",t";
    }

    @Test
    void sourceRowsAreExportedJustBeforeTheirImportAndEachProjectIsImportedOncePerTarget() throws Exception {
        String cats = emulator.sourceProject(SOURCE_A, "cats", 3, 7, 2, 1);
        String dogs = emulator.sourceProject(SOURCE_B, "dogs", 4, 5);
        long exportsA = emulator.exportsOf(SOURCE_A);
        long exportsB = emulator.exportsOf(SOURCE_B);
        Path input = input("sources", List.of(
                row("eastus", SOURCE_A, cats, TARGET_A),
                row("uksouth", SOURCE_B, dogs, TARGET_B),
                row("East US", SOURCE_A, cats.toUpperCase(), TARGET_A),
                row("eastus", SOURCE_A, cats, TARGET_B),
                row("eastus", SOURCE_A, "00000000-0000-4000-8000-000000000000", TARGET_A),
                ",,,\"" + token("plain") + "\",westus2," + TARGET_A + ",t"));

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(statuses(execution)).containsExactly(
                Map.entry(1L, RowStatus.SUCCEEDED), Map.entry(2L, RowStatus.SUCCEEDED),
                Map.entry(3L, RowStatus.DUPLICATE), Map.entry(4L, RowStatus.SUCCEEDED),
                Map.entry(5L, RowStatus.REJECTED), Map.entry(6L, RowStatus.SUCCEEDED));
        assertThat(emulator.exportsOf(SOURCE_A) - exportsA).as("rows 1 and 4; the 404 minted none").isEqualTo(2);
        assertThat(emulator.exportsOf(SOURCE_B) - exportsB).isEqualTo(1);
        assertThat(emulator.projects(TARGET_A).stream().filter(p -> p.name().startsWith("cats"))).hasSize(1);
        assertThat(emulator.projects(TARGET_B).stream().filter(p -> p.name().startsWith("cats"))).hasSize(1);

        List<CSVRecord> report = reportOf(input);
        CSVRecord first = report.get(0);
        assertThat(first.get("sourceRegion")).isEqualTo("eastus");
        assertThat(first.get("sourceProject")).isEqualTo(cats);
        assertThat(first.get("iterations")).isEqualTo("2");
        assertThat(first.get("images")).isEqualTo("7");
        assertThat(first.get("tags")).isEqualTo("3");
        assertThat(first.get("regions")).isEqualTo("1");
        assertThat(Integer.parseInt(first.get("estimatedImportMs"))).as("the emulator's import time, 200-300 ms")
                .isBetween(200, 300);
        assertThat(first.get("verified")).isEqualTo("true");
        assertThat(report.get(2).get("message")).isEqualTo("same source project and target as row 1");
        assertThat(report.get(2).get("tokenFingerprint")).isEqualTo(first.get("tokenFingerprint"));
        assertThat(report.get(4).get("errorCode")).isEqualTo("NotFoundProject");
        assertThat(report.get(4).get("message")).contains("Project not found.");
        assertThat(report.get(5).get("sourceProject")).isEmpty();
        assertThat(report.get(5).get("images")).isEmpty();
        assertThat(report.get(5).get("verified")).as("a token row has no export to compare with").isEmpty();
        assertThat(Files.readString(report(input))).doesNotContain("cvemulatorexports").doesNotContain("sig=")
                .doesNotContain(SOURCE_A).doesNotContain(TARGET_A);

        // Another input, the source key rotated: the same source project into the same target.
        Path again = input("rotated", List.of(row("eastus", SOURCE_A_ROTATED, cats, TARGET_A)));
        JobExecution second = launch(again).execution();
        assertThat(statuses(second)).containsExactly(Map.entry(1L, RowStatus.ALREADY_IMPORTED));
        assertThat(emulator.exportsOf(SOURCE_A) - exportsA).isEqualTo(2);
        assertThat(emulator.projects(TARGET_A).stream().filter(p -> p.name().startsWith("cats"))).hasSize(1);
    }

    @Test
    void aSourceRowsTargetIsFirstListedWhenItsExportEstimatesTheImportDone() throws Exception {
        String deer = emulator.sourceProject(SOURCE_A, "deer", 2, 3);
        // Each export announces the import time its token will take (3 s): the poll interval
        // (100 ms) would list the target some twenty times before it.
        emulator.importDelay(Duration.ofSeconds(3), Duration.ZERO);
        Path input = input("estimate", List.of(row("eastus", SOURCE_A, deer, TARGET_C)));

        JobExecution execution = launch(input).execution();

        assertThat(statuses(execution)).containsExactly(Map.entry(1L, RowStatus.SUCCEEDED));
        assertThat(reportOf(input).get(0).get("estimatedImportMs")).isEqualTo("3000");
        assertThat(emulator.importedAt(TARGET_C)).hasSize(1);
        long imported = emulator.importedAt(TARGET_C).get(0);
        List<Long> listedAfter = emulator.listedAt(TARGET_C).stream().filter(at -> at > imported)
                .map(at -> Duration.ofNanos(at - imported).toMillis()).toList();
        // A few milliseconds of slack: the engine counts from the moment its request left, the
        // emulator from the moment it arrived.
        System.out.println("listings of the target, ms after its import: " + listedAfter);
        assertThat(listedAfter).as("listings of the target, ms after its import").isNotEmpty()
                .allMatch(ms -> ms >= 2_900);
        assertThat(listedAfter.get(0)).as("the first listing, near the estimate").isLessThan(3_000 + 2_500);
    }

    @Test
    void aProjectWhoseTagsDoNotMatchItsExportStaysSucceededUnverified() throws Exception {
        String owls = emulator.sourceProject(SOURCE_A, "owls", 5, 2);
        emulator.importedTagsDelta(-2);
        Path input = input("mismatch", List.of(row("eastus", SOURCE_A, owls, TARGET_B)));

        JobExecution execution = launch(input).execution();

        assertThat(statuses(execution)).containsExactly(Map.entry(1L, RowStatus.SUCCEEDED));
        CSVRecord row = reportOf(input).get(0);
        assertThat(row.get("verified")).isEqualTo("false");
        assertThat(row.get("tags")).isEqualTo("5");
        assertThat(row.get("message")).isEqualTo(
                "verified=false: the imported project has 3 tags where its export had 5");
    }

    @Test
    void twoInputsAtOnceNamingTheSameSourceProjectsImportEachOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> one = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(emulator.sourceProject(SOURCE_A, "race-" + i, 2, 4));
            one.add(row("eastus", SOURCE_A, ids.get(i), TARGET_B));
        }
        List<String> other = new ArrayList<>();
        for (int i = 11; i >= 0; i--) {
            other.add(row("East US", SOURCE_A_ROTATED, ids.get(i), TARGET_B));
        }
        Path first = input("race-one", one);
        Path second = input("race-two", other);

        CompletableFuture<Run> a = launchInBackground(first);
        CompletableFuture<Run> b = launchInBackground(second);
        Map<Long, RowStatus> byA = statuses(a.get(120, TimeUnit.SECONDS).execution());
        Map<Long, RowStatus> byB = statuses(b.get(120, TimeUnit.SECONDS).execution());

        for (int i = 0; i < 12; i++) {
            String name = "race-" + i;
            assertThat(emulator.projects(TARGET_B).stream().filter(p -> p.name().startsWith(name + " ")
                    || p.name().equals(name))).as(name).hasSize(1);
            assertThat(List.of(byA.get(i + 1L), byB.get(12L - i))).as(name)
                    .containsExactlyInAnyOrder(RowStatus.SUCCEEDED, RowStatus.ALREADY_IMPORTED);
        }
    }

    @Test
    void exportsFromOneSourceShareItsRateBudget() throws Exception {
        int rows = 60;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String id = emulator.sourceProject(SOURCE_B, "paced-" + i, 1, 1);
            lines.add(row("uksouth", SOURCE_B, id, i % 2 == 0 ? TARGET_A : TARGET_B));
        }
        Path input = input("paced", lines);
        // The job paces the source (uksouth) at 10 calls a second and each target at 50; the
        // service allows 60 (headroom for calls bunched by a loaded machine, and the job's pace
        // within the service's on the targets, where each row's verification makes four reads): two
        // targets send up to 100 rows a second between them, and their exports all go to the one source.
        emulator.ratePerSecond(60);
        long throttled = emulator.throttled(SOURCE_B);
        int logged = emulator.requestLog().size();
        long started = System.nanoTime();

        JobExecution execution = launch(input).execution();

        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(statuses(execution).values()).hasSize(rows).containsOnly(RowStatus.SUCCEEDED);
        assertThat(emulator.throttled(SOURCE_B) - throttled).as("exports the source throttled").isZero();
        List<String> calls = emulator.requestLog().subList(logged, emulator.requestLog().size());
        long exports = calls.stream().filter(c -> c.endsWith("/export")).count();
        long imports = calls.stream().filter(c -> c.contains("/import")).count();
        long tags = calls.stream().filter(c -> c.endsWith("/tags") || c.endsWith("/count") || c.endsWith("/iterations"))
                .count();
        assertThat(exports).isEqualTo(rows);
        assertThat(millis).as("60 exports at 10 a second").isGreaterThan(5500);
        System.out.printf("exportsFromOneSourceShareItsRateBudget: %d rows in %d ms, %.2f calls per row"
                + " (exports %d, imports %d, verifying reads %d, listings and gets %d)%n", rows, millis,
                (double) calls.size() / rows, exports, imports, tags, calls.size() - exports - imports - tags);
    }

    @Test
    void exportsThatFailAreSentAgain() throws Exception {
        String birds = emulator.sourceProject(SOURCE_B, "birds", 2, 3);
        long exports = emulator.exportsOf(SOURCE_B);
        emulator.failNextExports(2);
        Path input = input("retried", List.of(row("uksouth", SOURCE_B, birds, TARGET_A)));

        JobExecution execution = launch(input).execution();

        assertThat(statuses(execution)).containsExactly(Map.entry(1L, RowStatus.SUCCEEDED));
        assertThat(emulator.exportsOf(SOURCE_B) - exports).isEqualTo(1);
        assertThat(reportOf(input).get(0).get("tags")).isEqualTo("2");
    }

    @Test
    void anImportThatRefusesItsExportedTokenExportsAgainAtMostTwice() throws Exception {
        String fish = emulator.sourceProject(SOURCE_B, "fish", 1, 1);
        long exports = emulator.exportsOf(SOURCE_B);
        emulator.exportTokenLifetime(Duration.ofSeconds(-30));
        Path input = input("expired", List.of(row("uksouth", SOURCE_B, fish, TARGET_B)));

        JobExecution execution = launch(input).execution();

        assertThat(statuses(execution)).containsExactly(Map.entry(1L, RowStatus.REJECTED));
        assertThat(reportOf(input).get(0).get("errorCode")).isEqualTo("BadRequestInvalidImportToken");
        assertThat(emulator.exportsOf(SOURCE_B) - exports).as("the first export and two more").isEqualTo(3);
        assertThat(emulator.projects(TARGET_B).stream().filter(p -> p.name().startsWith("fish"))).isEmpty();
    }
}
