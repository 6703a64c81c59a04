package io.cvimport.job;

import java.util.HashMap;
import java.util.Map;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.launch.support.ExitCodeMapper;

/**
 * The job's exit status word to the process's exit code. Any word it does not know
 * (Spring Batch's UNKNOWN, EXECUTING or NOOP: an execution that never ended cleanly) is 1,
 * the code that tells cron to run the same command again.
 */
final class RunExitCodeMapper implements ExitCodeMapper {

    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        for (ExitCode code : ExitCode.values()) {
            CODES.put(code.word(), code.code());
        }
        // Stopped by a signal or by --stop: resumable, like a failure.
        CODES.put(ExitStatus.STOPPED.getExitCode(), ExitCode.JOB_FAILED.code());
    }

    @Override
    public int intValue(String exitCode) {
        return CODES.getOrDefault(exitCode, ExitCode.JOB_FAILED.code());
    }

    ExitCode exitCodeOf(ExitStatus status) {
        return ExitCode.of(intValue(status.getExitCode()));
    }
}
