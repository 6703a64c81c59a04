package io.cvimport.job;

import java.io.PrintStream;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;

/**
 * The job of a run, on the caller's thread, to its end: started (or restarted), stopped at
 * the next boundary on SIGTERM or SIGINT or when another run took the lock over, resumed at
 * once after a short outage of the job repository ({@link OutageResumes}), and its end told
 * ({@link RunEnd}).
 */
@Component
class JobLaunch {

    private static final Logger log = LoggerFactory.getLogger(JobLaunch.class);

    private final JobAndRepository job;
    private final OutageResumes resumes;
    private final StopHere stopHere;
    private final RunEnd end;
    private volatile boolean stopRequested;
    /** Another run took this run's lock over: nothing is resumed any more. */
    private volatile boolean lockLost;

    JobLaunch(JobAndRepository job, OutageResumes resumes, StopHere stopHere, RunEnd end) {
        this.job = job;
        this.resumes = resumes;
        this.stopHere = stopHere;
        this.end = end;
    }

    ExitCode run(JobParameters parameters, PrintStream out) throws Exception {
        long started = System.nanoTime();
        JobExecution execution;
        try (SignalStop ignored = SignalStop.install(this::requestStop)) {
            execution = resumes.run(() -> job.start(parameters), () -> stopRequested || lockLost);
        }
        return end.tell(out, execution, Duration.ofNanos(System.nanoTime() - started));
    }

    /** SIGTERM or SIGINT: stop at the next boundary, leaving the run restartable. */
    private void requestStop() {
        stopRequested = true;
        log.warn("stop requested: finishing calls in progress, then stopping; re-run the same command to resume");
        stopHere.stop();
    }

    /** Another run took the lock over (this one was frozen, or cut from the database): stop sending. */
    void lockLost() {
        lockLost = true;
        stopHere.stop();
    }
}
