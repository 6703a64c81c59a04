package io.cvimport.report;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The rows of a report (of a run or of a plan) as a test reads them: by row number. */
public final class ReportRows {

    private ReportRows() {
    }

    public static Map<Long, CSVRecord> of(Path report) throws Exception {
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
