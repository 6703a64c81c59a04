package io.cvimport.customvision;

/** How a failed call may be handled: what the bytes on the wire prove about the request. */
public enum Failure {
    /** The service refused the request before any work: sending it again gives the same answer. */
    TERMINAL,
    /** The request was not performed (throttled, or no connection was made): safe to send again. */
    RETRYABLE,
    /** The request may have been performed but its answer was lost or unclear: never resend blindly. */
    UNCERTAIN,
    /**
     * No request byte left this machine because its environment failed (TLS trust or
     * handshake, DNS, proxy): safe to send again once the operator fixes it, and never the
     * request's outcome.
     */
    ENVIRONMENT
}
