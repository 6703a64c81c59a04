package io.cvimport.imports.feed;

/**
 * The run cannot go on with this input or these options as they stand (the input changed
 * under the job, an adoption the ledger refuses): nothing more is sent, and the run exits 2.
 */
public class UnusableInputException extends RuntimeException {

    public UnusableInputException(String message) {
        super(message);
    }
}
