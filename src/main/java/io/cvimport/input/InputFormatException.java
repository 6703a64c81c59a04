package io.cvimport.input;

import java.util.Objects;

/** The input cannot be used at all: missing, unreadable, or without the required columns. */
public class InputFormatException extends RuntimeException {

    public InputFormatException(String message) {
        super(message);
    }

    /** Never null: every such failure is constructed with its message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
