package io.cvimport.input;

/** The input cannot be used at all: missing, unreadable, or without the required columns. */
public class InputFormatException extends RuntimeException {

    public InputFormatException(String message) {
        super(message);
    }
}
