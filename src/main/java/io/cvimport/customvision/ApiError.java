package io.cvimport.customvision;

/**
 * An error as the service reported it: the HTTP status, the CustomVisionError code (or
 * the gateway's code, or a code of this tool's for answers without one) and its message.
 */
public record ApiError(int httpStatus, String code, String message) {

    /** For failures that produced no HTTP response. */
    static final int NO_RESPONSE = 0;

    /**
     * What went wrong in an operator's words: a refused key says what to check, and a code that
     * only repeats the status ("401 401") is not repeated.
     */
    public String describe() {
        if (httpStatus == 401 || httpStatus == 403) {
            return "the service refused the training key (HTTP " + httpStatus + "): check the key of the rows of this"
                    + " resource (a wrong key, another resource's, or an endpoint of another region); they wait, and"
                    + " the same command carries on once it is fixed";
        }
        String status = httpStatus == NO_RESPONSE ? "no answer" : "HTTP " + httpStatus;
        return status + (code.isBlank() || code.equals(String.valueOf(httpStatus)) ? "" : " " + code)
                + (message.isBlank() ? "" : ": " + message);
    }
}
