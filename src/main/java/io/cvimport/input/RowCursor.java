package io.cvimport.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Streams the input's data records as {@link InputRow}s, numbering them 1, 2, ... and
 * noting what is structurally wrong with each. Holds one record at a time.
 */
public final class RowCursor implements Closeable {

    /**
     * Real export tokens are well under 4 KB; a longer field is no token, region or key. Its
     * row is refused, and its text is not kept.
     */
    static final int MAX_FIELD_LENGTH = 1 << 16;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final int tokenIndex;
    private final int regionIndex;
    private final int keyIndex;
    private final int width;
    private final List<String> names;
    private final List<Integer> extraIndexes = new ArrayList<>();
    private long number;

    RowCursor(Path path) {
        try {
            this.parser = InputFile.parser(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> index = parser.getHeaderMap();
        this.names = parser.getHeaderNames();
        this.width = names.size();
        this.tokenIndex = indexOf(index, "token");
        this.regionIndex = indexOf(index, "region");
        this.keyIndex = indexOf(index, "key");
        for (int i = 0; i < width; i++) {
            if (i != tokenIndex && i != regionIndex && i != keyIndex) {
                extraIndexes.add(i);
            }
        }
        this.records = parser.iterator();
    }

    private static int indexOf(Map<String, Integer> index, String column) {
        return index.entrySet().stream()
                .filter(e -> e.getKey().trim().toLowerCase(Locale.ROOT).equals(column))
                .mapToInt(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new InputFormatException("no column " + column + " in the header"));
    }

    /**
     * The next rows, at most {@code size} of them, by row number in input order (for looking
     * them up in the ledger a batch at a time); empty at the end of the input.
     */
    public SortedMap<Long, InputRow> nextBatch(int size) {
        SortedMap<Long, InputRow> batch = new TreeMap<>();
        InputRow row;
        while (batch.size() < size && (row = next()) != null) {
            batch.put(row.number(), row);
        }
        return batch;
    }

    /** The next row, or null at the end of the input. */
    public @Nullable InputRow next() {
        CSVRecord record = nextRecord();
        if (record == null) {
            return null;
        }
        number++;
        List<String> extras = new ArrayList<>(extraIndexes.size());
        for (int i : extraIndexes) {
            extras.add(field(record, i));
        }
        return new InputRow(number, field(record, tokenIndex), field(record, regionIndex), field(record, keyIndex),
                extras, problemOf(record));
    }

    /** Skips rows without building them, to resume after a restart. */
    public void skip(long rows) {
        for (long i = 0; i < rows && nextRecord() != null; i++) {
            number++;
        }
    }

    /**
     * The structure check in the parser's reader names what it refuses; Commons CSV's own
     * refusals (which that check leaves none of) are named by the line the parser reached.
     * Failures to read the file stay what they are: the next run may well read it.
     */
    private @Nullable CSVRecord nextRecord() {
        try {
            return records.hasNext() ? records.next() : null;
        }
        catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException refused) {
                throw new InputStructureException(parser.getCurrentLineNumber() + 1,
                        "not readable as CSV (" + refused.getMessage() + ")");
            }
            throw e;
        }
    }

    private @Nullable String problemOf(CSVRecord record) {
        if (record.size() < width) {
            return "missing field: " + record.size() + " fields where the header has " + width;
        }
        if (record.size() > width) {
            return "surplus field: " + record.size() + " fields where the header has " + width;
        }
        for (int i = 0; i < record.size(); i++) {
            String value = record.get(i);
            if (value.indexOf('\uFFFD') >= 0) {
                return "bytes that are not UTF-8";
            }
            if (value.length() > MAX_FIELD_LENGTH) {
                return "field too long: " + names.get(i).trim() + " has "
                        + value.length() + " characters (at most " + MAX_FIELD_LENGTH + ")";
            }
        }
        return null;
    }

    /** A value, or nothing for one too long to keep: rows wait in batches of a thousand. */
    private static String field(CSVRecord record, int index) {
        String value = index < record.size() ? record.get(index) : "";
        return value.length() > MAX_FIELD_LENGTH ? "" : value;
    }

    @Override
    public void close() {
        try {
            parser.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
