package io.cvimport.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.SourceFacts;

/**
 * Writes the per-row report from the ledger, streaming, to a temporary file that is then
 * moved into place: a report is either whole or absent.
 */
public final class ReportWriter {

    public static final List<String> COLUMNS = List.of("row", "status", "region", "projectId", "errorCode", "message",
            "candidates", "targetFingerprint", "tokenFingerprint", "resource", "sourceRegion", "sourceProject",
            "iterations", "images", "tags", "regions", "estimatedImportMs", "verified", "place");

    private final ImportLedger ledger;

    public ReportWriter(ImportLedger ledger) {
        this.ledger = ledger;
    }

    /** @return the number of rows written */
    public long write(long instance, List<String> extraColumns, Path report) {
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(extraColumns);
        try {
            return AtomicFile.write(report, partial -> writeTo(partial, instance, header, extraColumns.size()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report, e);
        }
    }

    private long writeTo(Path partial, long instance, List<String> header, int extras) throws IOException {
        long[] rows = { 0 };
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord(header);
            ledger.forEachOutcome(instance, outcome -> {
                try {
                    csv.printRecord(values(outcome, extras));
                    rows[0]++;
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return rows[0];
    }

    private static List<Object> values(Outcome outcome, int extras) throws IOException {
        List<Object> values = new ArrayList<>(List.of(outcome.inputRow(), outcome.status().name(),
                nullToEmpty(outcome.region()), nullToEmpty(outcome.projectId()), nullToEmpty(outcome.errorCode()),
                nullToEmpty(outcome.message()), nullToEmpty(outcome.candidates()), nullToEmpty(outcome.targetFp()),
                nullToEmpty(outcome.tokenFp()), nullToEmpty(outcome.resource())));
        SourceFacts source = outcome.source();
        for (Object value : Arrays.asList(source.sourceRegion(), source.sourceProject(), source.iterations(),
                source.images(), source.tags(), source.regions(), source.estimatedImportMillis(), source.verified(),
                source.place())) {
            values.add(value == null ? "" : value);
        }
        if (outcome.extras() != null) {
            try (var parser = CSVFormat.RFC4180.parse(new StringReader(outcome.extras()))) {
                for (CSVRecord record : parser) {
                    record.forEach(values::add);
                }
            }
        }
        while (values.size() < COLUMNS.size() + extras) {
            values.add("");
        }
        return values;
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
