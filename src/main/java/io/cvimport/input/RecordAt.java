package io.cvimport.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads one record of the input at the byte offset the load step recorded for it, to
 * work a row only when it is about to be sent: the same {@link InputRow} the
 * {@link RowCursor} gave for it, parsed with the file's header and format. Holds nothing
 * between reads.
 */
public final class RecordAt {

    /**
     * Characters decoded and checked per read: about a record or two. A reader's own 8,192
     * would decode and check 8 KB of the file for each record it reads.
     */
    private static final int READ_AHEAD = 512;

    /** The file's format with its header already known: the text read starts at a data record. */
    private static final CSVFormat DATA = InputFile.FORMAT.builder().setHeader((String[]) null)
            .setSkipHeaderRecord(false).get();

    private final Path path;
    private final RecordLayout layout;

    public RecordAt(InputFile input) {
        this.path = input.path();
        try (CSVParser header = InputFile.parser(path)) {
            this.layout = new RecordLayout(header.getHeaderNames(), header.getHeaderMap());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record at {@code offset}, numbered {@code number} (the ledger's row number); null
     * when the file ends there.
     */
    public @Nullable InputRow read(long offset, long number) {
        try (FileChannel channel = FileChannel.open(path)) {
            if (offset > channel.size()) {
                return null;
            }
            channel.position(offset);
            CheckedReader text = new CheckedReader(new ShortReads(new InputStreamReader(
                    Channels.newInputStream(channel), InputFile.decoder())), new InputStructure().afterHeader(), null);
            try (CSVParser parser = CSVParser.builder().setReader(text).setFormat(DATA).get()) {
                Iterator<CSVRecord> records = parser.iterator();
                return records.hasNext() ? layout.row(records.next(), number, offset) : null;
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands its reader's characters on {@link #READ_AHEAD} at a time at most. */
    private static final class ShortReads extends FilterReader {

        ShortReads(Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            return super.read(buffer, offset, Math.min(length, READ_AHEAD));
        }
    }
}
