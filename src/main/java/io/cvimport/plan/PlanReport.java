package io.cvimport.plan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import io.cvimport.report.AtomicFile;

/**
 * The plan report: one line per input row, what a run would do with it and why. Like the
 * run's report it names targets, resources and tokens by fingerprint only, and it is moved
 * into place whole.
 */
final class PlanReport {

    static final List<String> COLUMNS = List.of("row", "plan", "region", "resource", "errorCode", "reason",
            "estimatedSend", "tokenExpiry", "targetFingerprint", "tokenFingerprint", "place");

    private PlanReport() {
    }

    static void write(Path report, List<PlannedRow> rows, List<String> extraColumns) {
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(extraColumns);
        try {
            AtomicFile.write(report, partial -> {
                try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
                    csv.printRecord(header);
                    for (PlannedRow row : rows) {
                        csv.printRecord(values(row, header.size()));
                    }
                }
                return rows.size();
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan report " + report, e);
        }
    }

    private static List<Object> values(PlannedRow row, int columns) throws IOException {
        List<Object> values = new ArrayList<>(List.of(row.rowNo(), row.verdict().name(), text(row.region()),
                text(row.resource()), text(row.code()), text(row.reason()), text(row.estimatedSend()),
                text(row.expiry()), text(row.targetFp()), text(row.tokenFp()), text(row.place())));
        if (row.extras() != null) {
            try (var parser = CSVFormat.RFC4180.parse(new StringReader(row.extras()))) {
                for (CSVRecord record : parser) {
                    record.forEach(values::add);
                }
            }
        }
        while (values.size() < columns) {
            values.add("");
        }
        return values;
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }
}
