package io.cvimport.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Hands every character it passes on to an {@link InputStructure} first, so that a reader
 * behind it (Commons CSV, which holds a whole field in memory) never gets text that makes no
 * record, nor more than one record's worth of it.
 */
final class CheckedReader extends FilterReader {

    private final InputStructure structure;

    CheckedReader(Reader in, InputStructure structure) {
        super(in);
        this.structure = structure;
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        return read(one, 0, 1) == -1 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read == -1) {
            structure.end();
        }
        else {
            structure.accept(buffer, offset, read);
        }
        return read;
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
