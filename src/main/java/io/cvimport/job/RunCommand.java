package io.cvimport.job;

import java.io.PrintStream;

import org.springframework.stereotype.Component;

import io.cvimport.repository.RepositoryOutage;

/**
 * {@code --input=FILE}: the run of an input, under its run lock (one run at a time per
 * input, see {@link RunLocks}), on the caller's thread while the lock is renewed beside it.
 * What the input's last run left decides what this one does ({@link LastRun}); the job,
 * started or resumed, then runs to its end ({@link JobLaunch}).
 */
@Component
class RunCommand {

    private final RunLocks locks;
    private final LastRun lastRun;
    private final JobLaunch launch;
    private final RepositoryOutage outage;

    RunCommand(RunLocks locks, LastRun lastRun, JobLaunch launch, RepositoryOutage outage) {
        this.locks = locks;
        this.lastRun = lastRun;
        this.launch = launch;
        this.outage = outage;
    }

    /** The run, its answer (the summary, or why nothing ran) told on {@code out}. */
    ExitCode run(RunInput input, PrintStream out) throws Exception {
        RunLocks.Attempt attempt = locks.tryAcquire("input:" + input.hash());
        if (attempt.lock() == null) {
            System.err.println("customvision-import: another run of " + input.file().path() + " is in progress ("
                    + attempt.heldBy() + ")");
            return ExitCode.ALREADY_RUNNING;
        }
        try (RunLock lock = attempt.lock()) {
            return lock.holdWhile(() -> underLock(input, out), launch::lockLost);
        }
        catch (RuntimeException e) {
            if (!outage.gaveUp()) {
                throw e;
            }
            System.err.println("customvision-import: " + outage.message());
            return ExitCode.JOB_FAILED;
        }
    }

    private ExitCode underLock(RunInput input, PrintStream out) throws Exception {
        LastRun.Next next = lastRun.next(input.parameters(), out);
        return next instanceof LastRun.Start start ? launch.run(start.parameters(), out)
                : ((LastRun.Answered) next).code();
    }
}
