package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Whole source resources through the jar: three source resources holding 5, 20 and no
 * projects, each named by one row (an empty projectId, or *) into a target of its own. The
 * first run is killed (kill -9) once imports are under way, the same command resumes and
 * finishes it; a project is then made on a source, and the same command again migrates it and
 * says so. Every project arrives once in its target, and every one is verified.
 */
class WholeResourcesProcessIT {

    static final String[] SOURCES = { "5f000000000000000000000000000000", "5f111111111111111111111111111111",
            "5f222222222222222222222222222222" };
    static final String[] TARGETS = { "7f000000000000000000000000000000", "7f111111111111111111111111111111",
            "7f222222222222222222222222222222" };
    static final int[] PROJECTS = { 5, 20, 0 };

    @TempDir
    Path dir;

    @Test
    void threeSourceResourcesKilledOnceAndListedAgainEveryProjectArrivesOnceVerified() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(SOURCES).key(TARGETS)
                .importDelay(Duration.ofMillis(1000), Duration.ofMillis(500))) {
            List<List<String>> names = new ArrayList<>();
            for (int s = 0; s < SOURCES.length; s++) {
                names.add(new ArrayList<>());
                for (int i = 0; i < PROJECTS[s]; i++) {
                    String name = "source-" + s + "-project-" + i;
                    emulator.sourceProject(SOURCES[s], name, 1 + i % 4, 4 + i, 1 + i % 2, 0);
                    names.get(s).add(name);
                }
            }
            Path input = dir.resolve("resources.csv");
            Files.write(input, List.of("tenant,sourceRegion,sourceKey,projectId,region,key",
                    "a,westeurope," + SOURCES[0] + ",,westus2," + TARGETS[0],
                    "b,northeurope," + SOURCES[1] + ",*,westus2," + TARGETS[1],
                    "c,eastus," + SOURCES[2] + ",,westus2," + TARGETS[2]));
            List<String> args = List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"),
                    "--report=" + dir.resolve("report.csv"), "--import.rate-per-target=5",
                    "--import.poll-interval=300ms", "--import.max-poll-interval=1s", "--import.in-doubt-grace=500ms",
                    "--import.lock-ttl=3s", "--customvision.connect-timeout=1s", "--customvision.response-timeout=4s");

            JarProcess first = JarProcess.start(dir, args);
            SourceProjectsProcessIT.waitForImports(emulator, 6, first);
            first.kill9();
            long importsWhenKilled = emulator.imports();

            JarProcess second = JarProcess.start(dir, args);
            assertThat(second.waitFor(180)).as(second.output()).isEqualTo(0);
            assertThat(importsWhenKilled).as("killed halfway").isLessThan(25);
            assertArrived(emulator, names);
            assertThat(report()).hasSize(3 + 25).filteredOn(r -> !r.get("place").isEmpty())
                    .allSatisfy(r -> assertThat(r.get("verified")).as(r.toString()).isEqualTo("true"));

            emulator.sourceProject(SOURCES[2], "source-2-project-new", 2, 3, 1, 0);
            names.get(2).add("source-2-project-new");
            JarProcess third = JarProcess.start(dir, args);
            assertThat(third.waitFor(180)).as(third.output()).isEqualTo(0);
            assertThat(third.output()).contains("whole source resources listed again")
                    .contains("whole source resources: 3 listed, 26 projects, 1 new project in this run")
                    .contains("verified source projects: 26 as exported, 0 different (verified=false), 0 not checked");
            assertArrived(emulator, names);
            List<CSVRecord> report = report();
            assertThat(report).hasSize(3 + 26);
            assertThat(report).filteredOn(r -> r.get("place").isEmpty()).extracting(r -> r.get("status"))
                    .containsOnly("EXPANDED");
            assertThat(report).filteredOn(r -> !r.get("place").isEmpty())
                    .allSatisfy(r -> {
                        assertThat(r.get("status")).isEqualTo("SUCCEEDED");
                        assertThat(r.get("verified")).isEqualTo("true");
                    });
            assertThat(report).filteredOn(r -> r.get("row").equals("3")).extracting(r -> r.get("place"))
                    .containsExactly("", "1");
            assertThat(Files.readString(dir.resolve("report.csv"))).doesNotContain(SOURCES[0]).doesNotContain(TARGETS[0]);
        }
    }

    private List<CSVRecord> report() throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(dir.resolve("report.csv")))).getRecords();
    }

    private static void assertArrived(CustomVisionEmulator emulator, List<List<String>> names) {
        for (int t = 0; t < TARGETS.length; t++) {
            assertThat(emulator.projects(TARGETS[t])).extracting(CustomVisionEmulator.EmulatedProject::name)
                    .as("target %d: each project of its source once", t)
                    .containsExactlyInAnyOrderElementsOf(names.get(t));
        }
    }
}
