package io.cvimport.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
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

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final LineStarts lines = new LineStarts();
    private final RecordLayout layout;
    private long number;

    RowCursor(Path path) {
        try {
            this.parser = InputFile.parser(path, lines);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.layout = new RecordLayout(parser.getHeaderNames(), parser.getHeaderMap());
        this.records = parser.iterator();
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
        return layout.row(record, number, lines.byteOffset(record.getCharacterPosition()));
    }

    /** Skips rows without building them, to resume after a restart. */
    public void skip(long rows) {
        CSVRecord record;
        for (long i = 0; i < rows && (record = nextRecord()) != null; i++) {
            lines.byteOffset(record.getCharacterPosition());
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
