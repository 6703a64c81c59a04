package io.cvimport.job;

/**
 * The exit codes of PRODUCT.md, for cron, each with the word the job's {@code ExitStatus}
 * carries for it ({@link RunExitCodeMapper} turns the word back into the code).
 */
public enum ExitCode {
    /** Every row ended SUCCEEDED, ALREADY_IMPORTED or DUPLICATE. */
    OK(0, "COMPLETED"),
    /** The job itself failed (database, crash, bug), or was stopped; re-running resumes it. */
    JOB_FAILED(1, "FAILED"),
    /** Unusable invocation: missing or unreadable input, bad header, bad option; or the input changed under the job. */
    USAGE(2, "INPUT_UNUSABLE"),
    /** The job finished, but some rows ended in another status. */
    ROWS_NEED_ATTENTION(3, "ROWS_NEED_ATTENTION"),
    /** Another run of the same input is in progress. */
    ALREADY_RUNNING(4, "ALREADY_RUNNING");

    private final int code;
    private final String word;

    ExitCode(int code, String word) {
        this.code = code;
        this.word = word;
    }

    public int code() {
        return code;
    }

    /** The exit status word of a job execution that ends with this code. */
    public String word() {
        return word;
    }

    public static ExitCode of(int code) {
        for (ExitCode each : values()) {
            if (each.code == code) {
                return each;
            }
        }
        return JOB_FAILED;
    }
}
