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

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Streams the input's data records as {@link InputRow}s, numbering them 1, 2, ... and
 * noting what is structurally wrong with each. Holds one record at a time.
 */
public final class RowCursor implements Closeable {

    /** Real export tokens are well under 2 KB; anything this long is not one. */
    static final int MAX_FIELD_LENGTH = 8192;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final int tokenIndex;
    private final int regionIndex;
    private final int keyIndex;
    private final int width;
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
        this.width = parser.getHeaderNames().size();
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

    /** The next row, or null at the end of the input. */
    public @Nullable InputRow next() {
        if (!records.hasNext()) {
            return null;
        }
        CSVRecord record = records.next();
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
        for (long i = 0; i < rows && records.hasNext(); i++) {
            records.next();
            number++;
        }
    }

    private @Nullable String problemOf(CSVRecord record) {
        if (record.size() < width) {
            return "missing field: " + record.size() + " fields where the header has " + width;
        }
        if (record.size() > width) {
            return "surplus field: " + record.size() + " fields where the header has " + width;
        }
        for (String value : record) {
            if (value.indexOf('\uFFFD') >= 0) {
                return "bytes that are not UTF-8";
            }
            if (value.length() > MAX_FIELD_LENGTH) {
                return "a field of " + value.length() + " characters (at most " + MAX_FIELD_LENGTH + ")";
            }
        }
        return null;
    }

    private static String field(CSVRecord record, int index) {
        return index < record.size() ? record.get(index) : "";
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
