package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import io.cvimport.ledger.LedgerKey;
import io.cvimport.ledger.RowStatus;

/**
 * Rows that name a whole source resource, over real HTTP against the emulator: the expansion
 * step lists it once and each project is a row of its own, judged, imported and verified like
 * a row naming it; the step resumes after a failed listing, a later pass takes the projects
 * made since, and the target's project limit refuses up front what would not fit.
 */
@TestPropertySource(properties = { "import.timeout=10s", "import.max-attempts=2",
        "import.project-limits.northeurope=4" }) // the limit it is about; failed listings given up soon
class WholeResourceJobTest extends JobFixture {

    static final String SOURCE = key(WholeResourceJobTest.class, "source");
    static final String SOURCE_FAILING = key(WholeResourceJobTest.class, "source-failing");
    static final String SOURCE_LIMITED = key(WholeResourceJobTest.class, "source-limited");
    static final String TARGET = key(WholeResourceJobTest.class, "target");
    static final String TARGET_FAILING = key(WholeResourceJobTest.class, "target-failing");
    static final String TARGET_SMALL = key(WholeResourceJobTest.class, "target-small");
    static final String HEADER = "sourceRegion,sourceKey,projectId,region,key,tenant";

    @BeforeEach
    void keys() {
        emulator.key(SOURCE, SOURCE_FAILING, SOURCE_LIMITED, TARGET, TARGET_FAILING, TARGET_SMALL);
        emulator.importDelay(Duration.ofMillis(100), Duration.ofMillis(50)).failReads(false);
    }

    private Path input(String name, List<String> rows) throws IOException {
        return input(name, HEADER, rows);
    }

    private List<CSVRecord> reportOf(Path input) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(report(input)))).getRecords();
    }

    @Test
    void everyProjectOfTheResourceIsARowOfItsOwnImportedOnceAndVerified() throws Exception {
        String cats = emulator.sourceProject(SOURCE, "cats", 3, 8, 2, 0);
        emulator.sourceProject(SOURCE, "dogs", 4, 5, 1, 0);
        emulator.sourceProject(SOURCE, "owls", 1, 2, 1, 3);
        Path input = input("whole", List.of(
                "westeurope," + SOURCE + "," + cats + ",westus2," + TARGET + ",named",
                "westeurope," + SOURCE + ",,westus2," + TARGET + ",whole",
                "West Europe," + SOURCE + ",*,westus2," + TARGET + ",again"));

        JobExecution execution = launch(input).execution();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<Long, RowStatus> statuses = statuses(execution);
        assertThat(statuses).containsEntry(1L, RowStatus.SUCCEEDED).containsEntry(2L, RowStatus.EXPANDED)
                .containsEntry(3L, RowStatus.EXPANDED).hasSize(3 + 3 + 3);
        assertThat(emulator.projects(TARGET)).as("each project once").hasSize(3);
        List<CSVRecord> report = reportOf(input);
        List<CSVRecord> projects = report.stream().filter(r -> !r.get("place").isEmpty()).toList();
        assertThat(projects).extracting(r -> r.get("row") + "." + r.get("place") + " " + r.get("status"))
                .containsExactly("2.1 DUPLICATE", "2.2 SUCCEEDED", "2.3 SUCCEEDED", "3.1 DUPLICATE", "3.2 DUPLICATE",
                        "3.3 DUPLICATE");
        assertThat(projects.get(0).get("message")).isEqualTo("same source project and target as row 1");
        assertThat(projects).extracting(r -> r.get("tenant")).containsOnly("whole", "again");
        assertThat(report).filteredOn(r -> r.get("status").equals("SUCCEEDED"))
                .extracting(r -> r.get("verified")).containsOnly("true");
        CSVRecord owls = report.stream().filter(r -> r.get("regions").equals("3")).findFirst().orElseThrow();
        assertThat(owls.get("message")).contains("its 3 regions were not compared");
        assertThat(report.get(1).get("message")).contains("3 projects", "places 1 to 3 of this row");
        assertThat(Files.readString(dir.resolve(input.getFileName() + ".report.csv"))).doesNotContain(SOURCE)
                .doesNotContain(TARGET).doesNotContain("sig=");
    }

    @Test
    void theExpansionStepResumesAfterAFailedListingAndALaterPassTakesTheProjectsMadeSince() throws Exception {
        for (int i = 0; i < 3; i++) {
            emulator.sourceProject(SOURCE_FAILING, "resumed-" + i, 2, 4, 1, 0);
        }
        Path input = input("resumed", List.of("westeurope," + SOURCE_FAILING + ",,westus2," + TARGET_FAILING + ",t"));
        emulator.failReads(true);

        JobExecution failed = launch(input).execution();

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(statuses(failed)).containsExactly(Map.entry(1L, RowStatus.EXPANDED));
        emulator.failReads(false);

        JobExecution resumed = launch(input).execution();

        assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(statuses(resumed).values()).containsExactly(RowStatus.EXPANDED,
                RowStatus.SUCCEEDED, RowStatus.SUCCEEDED, RowStatus.SUCCEEDED);

        emulator.sourceProject(SOURCE_FAILING, "made-since", 1, 1, 1, 0);
        JobExecution later = jobs.startJob(Passes.next(parameters(input,
                dir.resolve("later.report.csv").toString()), 2, LedgerKey.of(resumed)));

        assertThat(later.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(later.getStepExecutions()).extracting(s -> s.getStepName()).doesNotContain("load")
                .contains("expand", "import");
        assertThat(statuses(resumed).values()).containsExactly(RowStatus.EXPANDED,
                RowStatus.SUCCEEDED, RowStatus.SUCCEEDED, RowStatus.SUCCEEDED, RowStatus.SUCCEEDED);
        assertThat(emulator.projects(TARGET_FAILING)).as("each project once, the new one too").hasSize(4);
        assertThat(later.getStepExecutions().stream().filter(s -> s.getStepName().equals("expand")).findFirst()
                .orElseThrow().getExecutionContext().getInt("expanded.newProjects")).isEqualTo(1);
    }

    @Test
    void projectsPastTheTargetsProjectLimitAreRefusedUpFront() throws Exception {
        for (int i = 0; i < 5; i++) {
            emulator.sourceProject(SOURCE_LIMITED, "limited-" + i, 1, 1, 1, 0);
        }
        emulator.createForeignProject(TARGET_SMALL);
        Path input = input("limited", List.of("westeurope," + SOURCE_LIMITED + ",*,northeurope," + TARGET_SMALL + ",t"));

        JobExecution execution = launch(input).execution();

        // The limit (4, for northeurope) less the project the target holds: room for 3 of the 5.
        assertThat(statuses(execution).values()).containsExactly(RowStatus.EXPANDED,
                RowStatus.SUCCEEDED, RowStatus.SUCCEEDED, RowStatus.SUCCEEDED, RowStatus.REJECTED,
                RowStatus.REJECTED);
        assertThat(emulator.projects(TARGET_SMALL)).hasSize(4);
        List<CSVRecord> refused = reportOf(input).stream().filter(r -> r.get("status").equals("REJECTED")).toList();
        assertThat(refused).extracting(r -> r.get("errorCode")).containsOnly("BadRequestExceedProjectLimit");
        assertThat(refused.get(0).get("message")).isEqualTo("refused before any import: the target resource holds 1"
                + " projects and 0 more are to be imported there; its limit is 4 (--import.project-limit), so this"
                + " project would not fit");
        assertThat(refused).extracting(r -> r.get("place")).containsExactly("4", "5");
    }
}
