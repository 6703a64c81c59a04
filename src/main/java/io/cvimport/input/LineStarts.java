package io.cvimport.input;

import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Where in the file's bytes each line of its text starts, to within the byte.
 * <p>
 * In UTF-8 a CR or LF is always the one byte 0x0D or 0x0A, and the JDK's decoder never
 * folds such a byte into a malformed sequence it replaces (U+FFFD stands for the bytes
 * before it), so the n-th CR or LF of the text is the n-th 0x0D or 0x0A byte of the file,
 * whatever else the file holds. The byte side ({@link #bytes}) notes where each of those
 * bytes is; the text side ({@link #text}) pairs each CR or LF it passes with the next of
 * them, so the byte offset of every line start is known without decoding anything twice.
 * Only what was read ahead of the parser is held: a decoder's buffer of bytes and a
 * parser's buffer (and at most one record) of text.
 * <p>
 * The text is the one the parser reads: a record cut at the limit loses its middle on the
 * way ({@link CheckedReader}), line breaks included, and the reader says so
 * ({@link #forgetLineBreaks}) as it drops them, so that their bytes are neither paired with
 * a later line break nor held.
 */
final class LineStarts {

    private final LongQueue eolBytes = new LongQueue();
    private final LongQueue startChars = new LongQueue();
    private final LongQueue startBytes = new LongQueue();
    private long bytesRead;
    private long charsRead;

    /**
     * @param firstLineByte where the text's first character starts (3 after a BOM, else 0)
     */
    void firstLineAt(long firstLineByte) {
        startChars.add(0);
        startBytes.add(firstLineByte);
    }

    /** The file's bytes, noting where each CR and LF is. */
    InputStream bytes(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = in.read(buffer, offset, length);
                for (int i = offset; i < offset + read; i++) {
                    if (buffer[i] == '\n' || buffer[i] == '\r') {
                        eolBytes.add(bytesRead + i - offset);
                    }
                }
                bytesRead += Math.max(read, 0);
                return read;
            }

            @Override
            public long skip(long n) throws IOException {
                throw new IOException("skip not supported");
            }
        };
    }

    /** The decoded text as the parser reads it (BOM removed), noting where each line starts. */
    Reader text(Reader in) {
        return new FilterReader(in) {
            @Override
            public int read() throws IOException {
                char[] one = new char[1];
                return read(one, 0, 1) == -1 ? -1 : one[0];
            }

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int read = in.read(buffer, offset, length);
                for (int i = offset; i < offset + read; i++) {
                    if (buffer[i] == '\n' || buffer[i] == '\r') {
                        long position = charsRead + i - offset;
                        if (!startChars.isEmpty() && startChars.last() == position) {
                            // An empty line, or the LF of a CRLF: no record starts there.
                            startChars.removeLast();
                            startBytes.removeLast();
                        }
                        startChars.add(position + 1);
                        startBytes.add(eolBytes.remove() + 1);
                    }
                }
                charsRead += Math.max(read, 0);
                return read;
            }

            @Override
            public long skip(long n) throws IOException {
                throw new IOException("skip not supported");
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    /**
     * {@code count} line breaks of the file, the next ones after every line break the text
     * side has passed, were dropped from the text: their bytes start no line a record can
     * start on. Dropped as the reader skips them, so a record with millions of them holds none.
     */
    void forgetLineBreaks(int count) {
        for (int i = 0; i < count; i++) {
            eolBytes.remove();
        }
    }

    /**
     * The byte offset of the first line that is not empty from character {@code charPosition}
     * of the text on (where the parser puts a record's start, before the empty lines it skips);
     * the lines before it are forgotten, so positions must be asked in order.
     */
    long byteOffset(long charPosition) {
        while (!startChars.isEmpty() && startChars.peek() < charPosition) {
            startChars.remove();
            startBytes.remove();
        }
        if (startChars.isEmpty()) {
            throw new IllegalStateException("no line starts at or after character " + charPosition);
        }
        return startBytes.peek();
    }

    /** A queue of longs without boxing, growing as needed. */
    private static final class LongQueue {
        private long[] values = new long[256];
        private int head;
        private int size;

        void add(long value) {
            if (size == values.length) {
                long[] grown = new long[values.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = values[(head + i) % values.length];
                }
                values = grown;
                head = 0;
            }
            values[(head + size) % values.length] = value;
            size++;
        }

        long peek() {
            if (size == 0) {
                throw new IllegalStateException("empty");
            }
            return values[head];
        }

        long remove() {
            long value = peek();
            head = (head + 1) % values.length;
            size--;
            return value;
        }

        long last() {
            if (size == 0) {
                throw new IllegalStateException("empty");
            }
            return values[(head + size - 1) % values.length];
        }

        void removeLast() {
            last();
            size--;
        }

        boolean isEmpty() {
            return size == 0;
        }
    }
}
