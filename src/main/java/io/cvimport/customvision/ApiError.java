package io.cvimport.customvision;

/**
 * An error as the service reported it: the HTTP status, the CustomVisionError code (or
 * the gateway's code, or a code of this tool's for answers without one) and its message.
 */
public record ApiError(int httpStatus, String code, String message) {

    /** For failures that produced no HTTP response. */
    static final int NO_RESPONSE = 0;
}
