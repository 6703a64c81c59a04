package io.cvimport.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.ledger.LedgerDatabase;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.RowStatus;

/** The per-row report, from a ledger on an in-memory database, read back with a CSV parser. */
class ReportWriterTest {

    private static final long INSTANCE = 4;

    @TempDir
    Path dir;

    private final LedgerDatabase database = new LedgerDatabase();
    private final ReportWriter writer = new ReportWriter(database.ledger());

    private void rows(LedgerRow... rows) {
        database.ledger().insert(INSTANCE, List.of(rows));
    }

    private List<CSVRecord> read(Path report) throws Exception {
        try (Reader in = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.parse(in).getRecords();
        }
    }

    @Test
    void oneLineForEveryRowInRowOrderUnderTheHeader() throws Exception {
        rows(new LedgerRow(2, RowStatus.REJECTED, "westus2", "tA", "tok2", null, "BadRequestInvalidImportToken",
                "the token is invalid", "acme"),
                new LedgerRow(1, RowStatus.SUCCEEDED, "westus2", "tA", "tok1", "p-1", null, null, "\"globex\""));
        Path report = dir.resolve("report.csv");

        assertThat(writer.write(INSTANCE, List.of("tenant"), report)).isEqualTo(2);

        List<CSVRecord> lines = read(report);
        assertThat(lines.get(0).values()).containsExactly("row", "status", "region", "projectId", "errorCode",
                "message", "candidates", "targetFingerprint", "tokenFingerprint", "resource", "sourceRegion",
                "sourceProject", "iterations", "images", "tags", "regions", "estimatedImportMs", "verified", "place",
                "tenant");
        assertThat(lines.get(1).values()).containsExactly("1", "SUCCEEDED", "westus2", "p-1", "", "", "", "tA",
                "tok1", "tA", "", "", "", "", "", "", "", "", "", "globex");
        assertThat(lines.get(2).values()).containsExactly("2", "REJECTED", "westus2", "", "BadRequestInvalidImportToken",
                "the token is invalid", "", "tA", "tok2", "tA", "", "", "", "", "", "", "", "", "", "acme");
        assertThat(lines).hasSize(3);
    }

    @Test
    void messagesAndExtraColumnsWithCommasQuotesAndLineBreaksComeBackWhole() throws Exception {
        String message = "refused: \"quota, exceeded\"\nsee the portal";
        String extras = CSVFormat.RFC4180.format("Acme, Inc.", "line one\nline two", "say \"hi\"");
        rows(new LedgerRow(1, RowStatus.FAILED, "westus2", "tA", "tok1", "p-1", "ImportFailed", message, extras));
        Path report = dir.resolve("report.csv");

        writer.write(INSTANCE, List.of("company", "note", "greeting"), report);

        CSVRecord row = read(report).get(1);
        assertThat(row.get(5)).isEqualTo(message);
        assertThat(row.values()).endsWith("Acme, Inc.", "line one\nline two", "say \"hi\"");
        assertThat(row.size()).isEqualTo(ReportWriter.COLUMNS.size() + 3);
    }

    @Test
    void rowsWithoutExtrasGetEmptyExtraColumns() throws Exception {
        rows(new LedgerRow(1, RowStatus.INVALID, null, null, null, null, null, "unknown region", null));
        Path report = dir.resolve("report.csv");

        writer.write(INSTANCE, List.of("tenant", "owner"), report);

        CSVRecord row = read(report).get(1);
        assertThat(row.size()).isEqualTo(ReportWriter.COLUMNS.size() + 2);
        assertThat(row.values()).containsExactly("1", "INVALID", "", "", "", "unknown region", "", "", "", "", "", "",
                "", "", "", "", "", "", "", "", "");
    }

    @Test
    void theResourceColumnNamesTheResourceALinkedTargetBelongsTo() throws Exception {
        database.link("tB", "tA");
        rows(new LedgerRow(1, RowStatus.SUCCEEDED, "westus2", "tA", "tok1", "p-1", null, null, null),
                new LedgerRow(2, RowStatus.SUCCEEDED, "westus2", "tB", "tok2", "p-2", null, null, null),
                new LedgerRow(3, RowStatus.SUCCEEDED, "eastus", "tC", "tok3", "p-3", null, null, null),
                new LedgerRow(4, RowStatus.PENDING, "eastus", null, "tok4", null, null, "variable unset", null));
        Path report = dir.resolve("report.csv");

        writer.write(INSTANCE, List.of(), report);

        List<CSVRecord> lines = read(report);
        int resource = ReportWriter.COLUMNS.indexOf("resource");
        assertThat(lines.subList(1, 5)).extracting(line -> line.get(resource)).containsExactly("tA", "tA", "tC", "");
    }

    @Test
    void onlyThisInstancesRowsAreReported() throws Exception {
        rows(new LedgerRow(1, RowStatus.SUCCEEDED, "westus2", "tA", "tok1", "p-1", null, null, null));
        database.ledger().insert(INSTANCE + 1, List.of(new LedgerRow(1, RowStatus.FAILED, "westus2", "tA", "tok9",
                "p-9", null, null, null)));
        Path report = dir.resolve("report.csv");

        assertThat(writer.write(INSTANCE, List.of(), report)).isEqualTo(1);
        assertThat(read(report)).hasSize(2);
    }

    @Test
    void aMissingFolderIsCreated() throws Exception {
        rows(new LedgerRow(1, RowStatus.SUCCEEDED, "westus2", "tA", "tok1", "p-1", null, null, null));
        Path report = dir.resolve("reports/nightly/report.csv");

        writer.write(INSTANCE, List.of(), report);

        assertThat(read(report)).hasSize(2);
    }

    @Test
    void aReportThatCannotBeFinishedLeavesTheEarlierOneAndNoPartialFile() throws Exception {
        Path report = dir.resolve("report.csv");
        Files.writeString(report, "the earlier report\n");
        database.drop();

        assertThatThrownBy(() -> writer.write(INSTANCE, List.of(), report)).isInstanceOf(RuntimeException.class);

        assertThat(Files.readString(report)).isEqualTo("the earlier report\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(report);
        }
    }
}
