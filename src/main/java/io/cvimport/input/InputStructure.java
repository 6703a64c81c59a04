package io.cvimport.input;

/**
 * Follows the input character by character the way Commons CSV reads it with
 * {@link InputFile#FORMAT} (RFC 4180 quotes, spaces around fields ignored, blank lines
 * skipped, CR, LF and CRLF ending lines), to know where each record starts and ends
 * without holding any of its text; refuses what Commons CSV cannot parse; and says where a
 * record passes {@link #MAX_RECORD}, so that the reader feeding the parser skips the rest
 * of it (see {@link CheckedReader}) instead of handing the parser text without bound.
 * <p>
 * A record too long is its row's problem whenever its end can be found (a line break
 * outside quotes, or the end of the file outside quotes): the structure follows it to that
 * end in constant memory. Only what leaves no record at all costs the whole file: a quote
 * never closed, text after a closing quote, a NUL byte, a header that is not UTF-8 or is
 * itself too long.
 * <p>
 * Line numbers count every line of the file, the header's included, as an editor does.
 */
final class InputStructure {

    /** A record of the input is at most this long: a few fields of at most 64 KB. */
    static final int MAX_RECORD = 1 << 20;

    /**
     * Put where a record was cut: it never reaches the parser otherwise (a NUL byte refuses
     * the file), so a field ending with it marks its record as cut, wherever it is read.
     */
    static final char CUT = '\0';

    private enum State { FIELD_START, PLAIN, QUOTED, QUOTE_IN_QUOTED, CLOSED }

    private State state = State.FIELD_START;
    private boolean inRecord;
    private boolean afterCr;
    private boolean skipping;
    private String closing = "";
    private long line = 1;
    private long records;
    private long recordLine;
    private long recordLength;
    private long quoteLine;

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

    /** Whether the record being followed passed the limit: its text is dropped up to its end. */
    boolean skipping() {
        return skipping;
    }

    /**
     * What a parser that read the record up to where it was cut needs to end it there with
     * {@link #CUT} as the last character of its last field: the cut field's own closing quote,
     * or a new field after a field already closed. The line break that ends the record follows.
     */
    String closing() {
        return closing;
    }

    /**
     * Follows {@code chars[from, to)} and returns the index after the last character followed:
     * {@code to}, or sooner after the character that started skipping (the first one past the
     * limit, itself dropped) or stopped it (the record's end, itself kept).
     */
    int follow(char[] chars, int from, int to) {
        boolean wasSkipping = skipping;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            // Most characters are text inside a field, which changes nothing but the length.
            if (c > '"' && c != ',' && c != '\uFFFD' && (state == State.PLAIN || state == State.QUOTED) && !afterCr
                    && (recordLength < MAX_RECORD || skipping)) {
                recordLength++;
            }
            else {
                step(c);
                if (skipping != wasSkipping) {
                    return i + 1;
                }
            }
        }
        return to;
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
                    counted(State.QUOTED);
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
        State before = state;
        advance(c, eol);
        if (eol) {
            lineEnd(c);
        }
        if (inRecord) {
            counted(before);
        }
    }

    /** The character's move from the state the field is in. */
    private void advance(char c, boolean eol) {
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

    /**
     * Counts a character of a record that goes on after it; the first past the limit starts
     * skipping, {@code before} being where the parser stands (it never gets that character).
     */
    private void counted(State before) {
        if (++recordLength <= MAX_RECORD || skipping) {
            return;
        }
        if (records == 1) {
            // Without its header no row of the file can be read.
            throw new InputStructureException(recordLine, "a header longer than " + MAX_RECORD + " characters");
        }
        skipping = true;
        closing = switch (before) {
            case QUOTED -> CUT + "\"";
            // The parser has read a closing quote (or the first of two): a field of its own.
            case QUOTE_IN_QUOTED, CLOSED -> "," + CUT;
            case FIELD_START, PLAIN -> String.valueOf(CUT);
        };
    }

    private void endRecord() {
        inRecord = false;
        skipping = false;
        state = State.FIELD_START;
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
