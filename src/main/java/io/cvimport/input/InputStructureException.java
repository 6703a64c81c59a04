package io.cvimport.input;

/**
 * The input is not a CSV file that can be read: a quote never closed, text after a closing
 * quote, a NUL byte, a header that is not UTF-8 or past the length limit (a data record past
 * it is its row's problem). Names the line (1-based, the header is line 1) and never the
 * text, which may hold keys and tokens.
 */
public class InputStructureException extends InputFormatException {

    private final long line;

    public InputStructureException(long line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
