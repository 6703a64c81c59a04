package io.cvimport.customvision;

/** How a failed call may be handled. */
public enum Failure {
    /** The service refused the request: sending it again gives the same answer. */
    TERMINAL,
    /** The request was not performed (throttled, refused before processing): safe to send again. */
    RETRYABLE,
    /** The request may have been performed but its answer was lost: never resend blindly. */
    UNCERTAIN
}
