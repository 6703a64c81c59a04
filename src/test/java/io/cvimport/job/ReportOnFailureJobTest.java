package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

import io.cvimport.report.ReportRows;

/**
 * Issue 27: a run that fails writes its report, each row as it stands, and its summary names
 * the report (a run stopped by SIGTERM is ReportOnEveryEndIT's).
 */
class ReportOnFailureJobTest extends CommandFixture {

    static final String TARGET = key(ReportOnFailureJobTest.class, "target");

    @Test
    void aRunThatFailsWritesItsReportAndSaysWhere(CapturedOutput console) throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            rows.add("\"" + token("unreachable-" + i) + "\"," + UNREACHABLE_REGION + "," + TARGET + ",t" + i);
        }
        Path input = input("failed", "token,region,key,tenant", rows);

        // Nothing listens where the region's endpoint points: every call fails with a refused
        // connection, a failure of the environment, and the run fails, resumably.
        assertThat(run(console, input, "--import.max-attempts=2")).as(output).isEqualTo(1);

        assertThat(output).contains("FAILED").contains("report: " + report(input));
        Collection<CSVRecord> report = ReportRows.of(report(input)).values();
        assertThat(report).hasSize(3).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("PENDING"));
        assertThat(report).extracting(row -> row.get("tenant")).containsExactly("t1", "t2", "t3");
    }
}
