package io.cvimport.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

import org.jspecify.annotations.Nullable;

/**
 * Hands every character it passes on to an {@link InputStructure} first, so that a reader
 * behind it (Commons CSV, which holds a whole field in memory) never gets text that makes no
 * record, nor more than one record's worth of it.
 * <p>
 * A record that passes {@link InputStructure#MAX_RECORD} is cut there: the parser gets its
 * text up to the limit, the structure's {@link InputStructure#closing() closing} (which marks
 * it cut) and then the line break that ends it; everything between is read and followed but
 * dropped, so a record of any length costs one record's worth of memory and stays one row.
 * The positions the parser reports then count the text it got, not the file's; {@link LineStarts}
 * reads that same text, and is told of every line break dropped, so that its byte offsets of
 * the rows after a cut record stay exact.
 */
final class CheckedReader extends FilterReader {

    private final InputStructure structure;
    private final @Nullable LineStarts lines;
    /** Text read from the file, not yet followed. */
    private final char[] raw = new char[8192];
    private int next;
    private int end;
    /** The closing of a record cut, still to hand on. */
    private String pending = "";
    private int pendingAt;
    /** The cutting character, when a line break: dropped, but handed on in the same read as the text before it. */
    private int lineBreaksOwed;

    /**
     * @param lines told of the line breaks dropped, when the text read is {@code lines}' too
     *        ({@link LineStarts#text} in front of this reader); null when no line is noted
     */
    CheckedReader(Reader in, InputStructure structure, @Nullable LineStarts lines) {
        super(in);
        this.structure = structure;
        this.lines = lines;
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        return read(one, 0, 1) == -1 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int out = offset;
        int limit = offset + length;
        while (out < limit) {
            if (pendingAt < pending.length()) {
                buffer[out++] = pending.charAt(pendingAt++);
                continue;
            }
            if (next == end) {
                if (out > offset) {
                    break;
                }
                int read = in.read(raw, 0, raw.length);
                if (read == -1) {
                    structure.end();
                    return -1;
                }
                next = 0;
                end = read;
                continue;
            }
            if (structure.skipping()) {
                // Only at the start of a read: the line breaks handed on before are paired with
                // their bytes already, so the ones dropped are the next to forget.
                if (out > offset) {
                    break;
                }
                out = skipped(buffer, out);
            }
            else {
                out = copied(buffer, out, limit);
            }
        }
        return out - offset;
    }

    /** Drops what the structure skips of the bytes read; the character that ends the skip is handed on. */
    private int skipped(char[] buffer, int out) {
        int stop = structure.follow(raw, next, end);
        boolean ended = !structure.skipping();
        forget(lineBreaksOwed + lineBreaks(next, ended ? stop - 1 : stop));
        lineBreaksOwed = 0;
        next = stop;
        if (ended) {
            buffer[out++] = raw[stop - 1];
        }
        return out;
    }

    /** Hands on the bytes read up to {@code limit}, or up to where the structure starts skipping. */
    private int copied(char[] buffer, int out, int limit) {
        int stop = structure.follow(raw, next, Math.min(end, next + limit - out));
        boolean cut = structure.skipping();
        int kept = (cut ? stop - 1 : stop) - next;
        System.arraycopy(raw, next, buffer, out, kept);
        next = stop;
        if (cut) {
            pending = structure.closing();
            pendingAt = 0;
            lineBreaksOwed = lineBreaks(stop - 1, stop);
        }
        return out + kept;
    }

    private int lineBreaks(int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (raw[i] == '\n' || raw[i] == '\r') {
                count++;
            }
        }
        return count;
    }

    private void forget(int lineBreaks) {
        if (lines != null && lineBreaks > 0) {
            lines.forgetLineBreaks(lineBreaks);
        }
    }

    /** Skipped text is read and checked like any other: skipping must not lose the structure. */
    @Override
    public long skip(long n) throws IOException {
        char[] buffer = new char[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read == -1) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    /** Text held here may all be dropped, so none of it says a read would not block. */
    @Override
    public boolean ready() {
        return false;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readAheadLimit) throws IOException {
        throw new IOException("mark not supported");
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("reset not supported");
    }
}
