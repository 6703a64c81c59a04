package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.report.ReportRows;

/**
 * Issue 27: every run that ends writes its report, one stopped by SIGTERM too, with each row
 * as it stands; and its summary names the report (a failed run's is ReportOnFailureJobTest).
 */
class ReportOnEveryEndIT {

    static final String TARGET = "30303030303030303030303030303030";

    @TempDir
    Path dir;

    private Path input(String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key,tenant"));
        for (int i = 1; i <= rows; i++) {
            lines.add("\"" + PlanIT.token(name + "-" + i) + "\",westus2," + TARGET + ",t" + i);
        }
        Path input = dir.resolve(name + ".csv");
        Files.write(input, lines);
        return input;
    }

    private List<String> args(Path input, Path report, String endpoint) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--report=" + report,
                "--customvision.endpoint=" + endpoint, "--import.rate-per-target=5", "--import.poll-interval=200ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository")));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        return args;
    }

    @Test
    void aRunStoppedBySigtermWritesTheReportOfEveryRowAsItStands() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET)
                .importDelay(Duration.ofMinutes(5), Duration.ZERO)) {
            Path input = input("stopped", 4);
            Path report = dir.resolve("stopped-report.csv");
            JarProcess run = JarProcess.start(dir, args(input, report, emulator.endpoint().toString()));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (emulator.imports() < 2) {
                assertThat(System.nanoTime()).as("two imports to arrive").isLessThan(deadline);
                Thread.sleep(50);
            }
            run.terminate();
            int code = run.waitFor(120);
            String output = run.output();
            System.out.println(output);

            assertThat(code).as(output).isNotZero();
            assertThat(output).contains("STOPPED").contains("report: " + report);
            Map<Long, CSVRecord> rows = ReportRows.of(report);
            assertThat(rows).hasSize(4);
            assertThat(rows.values()).filteredOn(row -> row.get("status").equals("IMPORTING"))
                    .as("rows whose project is importing").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(row -> assertThat(row.get("projectId")).isNotEmpty());
            assertThat(rows.get(1L).get("tenant")).isEqualTo("t1");
        }
    }
}
