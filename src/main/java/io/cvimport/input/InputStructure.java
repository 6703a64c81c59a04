package io.cvimport.input;

/**
 * Follows the input character by character the way Commons CSV reads it with
 * {@link InputFile#FORMAT} (RFC 4180 quotes, spaces around fields ignored, blank lines
 * skipped, CR, LF and CRLF ending lines), to know where each record starts and ends
 * without holding any of its text; and refuses what Commons CSV cannot parse or would have
 * to hold in memory without bound.
 * <p>
 * Line numbers count every line of the file, the header's included, as an editor does.
 */
final class InputStructure {

    /** A record of the input is at most this long: a few fields of at most 64 KB. */
    static final int MAX_RECORD = 1 << 20;

    private enum State { FIELD_START, PLAIN, QUOTED, QUOTE_IN_QUOTED, CLOSED }

    private final boolean followRunawayQuotes;
    private State state = State.FIELD_START;
    private boolean inRecord;
    private boolean afterCr;
    private boolean runaway;
    private long line = 1;
    private long records;
    private long recordLine;
    private long recordLength;
    private long quoteLine;

    /**
     * @param followRunawayQuotes when a quoted field runs past the record limit, read on (in
     *        constant memory) to tell a quote never closed from a record merely too long; a
     *        reader that feeds a parser stops at the limit instead
     */
    InputStructure(boolean followRunawayQuotes) {
        this.followRunawayQuotes = followRunawayQuotes;
    }

    /**
     * Follows text that starts at a data record, read at its offset: the header, which must
     * be UTF-8, is behind it.
     */
    InputStructure afterHeader() {
        records = Math.max(records, 1);
        return this;
    }

    /** Records seen so far, the header included. */
    long records() {
        return records;
    }

    void accept(char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            // Most characters are text inside a field, which changes nothing but the length.
            if (c > '"' && c != ',' && c != '\uFFFD' && (state == State.PLAIN || state == State.QUOTED) && !afterCr
                    && (recordLength < MAX_RECORD || runaway)) {
                recordLength++;
            }
            else {
                step(c);
            }
        }
    }

    private void step(char c) {
        if (c == '\0') {
            throw new InputStructureException(line, "a NUL byte (the file is binary, or UTF-16 rather than UTF-8)");
        }
        if (afterCr) {
            afterCr = false;
            if (c == '\n') {
                // The LF of a CRLF: no line of its own; text only inside quotes.
                if (state == State.QUOTED) {
                    grow();
                }
                return;
            }
        }
        boolean eol = c == '\n' || c == '\r';
        if (!inRecord) {
            if (eol) {
                lineEnd(c);
                return;
            }
            inRecord = true;
            records++;
            recordLine = line;
            recordLength = 0;
        }
        if (records == 1 && c == '\uFFFD') {
            throw new InputStructureException(line, "bytes that are not UTF-8 in the header (save the file as UTF-8)");
        }
        grow();
        switch (state) {
            case FIELD_START -> {
                if (c == '"') {
                    state = State.QUOTED;
                    quoteLine = line;
                }
                else if (eol) {
                    endRecord();
                }
                else if (c != ',' && !Character.isWhitespace(c)) {
                    state = State.PLAIN;
                }
            }
            case PLAIN -> {
                if (c == ',') {
                    state = State.FIELD_START;
                }
                else if (eol) {
                    endRecord();
                }
            }
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
            }
            case QUOTE_IN_QUOTED -> {
                // Two quotes are one quote of the text; one quote closes the field.
                state = c == '"' ? State.QUOTED : afterClosingQuote(c, eol);
            }
            case CLOSED -> state = afterClosingQuote(c, eol);
        }
        if (eol) {
            lineEnd(c);
        }
    }

    private State afterClosingQuote(char c, boolean eol) {
        if (c == ',') {
            return State.FIELD_START;
        }
        if (eol) {
            endRecord();
            return State.FIELD_START;
        }
        if (!Character.isWhitespace(c)) {
            throw new InputStructureException(line, "text after the closing quote of a quoted field"
                    + " (a quote inside a quoted field is written twice: \"\")");
        }
        return State.CLOSED;
    }

    private void grow() {
        if (++recordLength > MAX_RECORD && !runaway) {
            if (followRunawayQuotes && (state == State.QUOTED || state == State.QUOTE_IN_QUOTED)) {
                runaway = true;
            }
            else {
                throw tooLong("");
            }
        }
    }

    private void endRecord() {
        inRecord = false;
        state = State.FIELD_START;
        if (runaway) {
            throw tooLong(": a quoted field runs from line " + quoteLine + " to line " + line + " (a stray quote?)");
        }
    }

    private InputStructureException tooLong(String detail) {
        return new InputStructureException(recordLine, "a record longer than " + MAX_RECORD
                + " characters (a field holds at most " + RowCursor.MAX_FIELD_LENGTH + ")" + detail);
    }

    private void lineEnd(char c) {
        afterCr = c == '\r';
        line++;
    }

    /** The end of the input: a quoted field still open never closes. */
    void end() {
        if (state == State.QUOTED) {
            throw new InputStructureException(quoteLine,
                    "a quoted field is never closed (it runs to the end of the file)");
        }
        if (inRecord) {
            endRecord();
        }
    }
}
