package io.cvimport.job;

/** The exit codes of PRODUCT.md, for cron. */
public enum ExitCode {
    /** Every row ended SUCCEEDED, ALREADY_IMPORTED or DUPLICATE. */
    OK(0),
    /** The job itself failed (database, crash, bug); re-running resumes it. */
    JOB_FAILED(1),
    /** Unusable invocation: missing or unreadable input, bad header, bad option. */
    USAGE(2),
    /** The job finished, but some rows ended in another status. */
    ROWS_NEED_ATTENTION(3),
    /** Another run of the same input is in progress. */
    ALREADY_RUNNING(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
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
