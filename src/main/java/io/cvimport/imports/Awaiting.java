package io.cvimport.imports;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectStatus;

/**
 * Imports the service accepted: recorded at once, then awaited on their lane until their
 * project leaves Importing (TIMED_OUT at this run's deadline, FAILED past the give-up time).
 */
final class Awaiting {

    private static final Logger log = LoggerFactory.getLogger(Awaiting.class);

    private final RowRecorder rows;
    private final LaneMonitor monitor;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallsDue due;
    private final Verifier verifier;
    /** The deadline counts from this run's start for rows sent by an earlier run. */
    private final long startMillis;

    Awaiting(RowRecorder rows, LaneMonitor monitor, ImportProperties properties, Clocks clocks, CallsDue due,
            Verifier verifier) {
        this.due = due;
        this.verifier = verifier;
        this.rows = rows;
        this.monitor = monitor;
        this.properties = properties;
        this.clocks = clocks;
        this.startMillis = clocks.millis();
    }

    Lane.Awaited of(long rowNo, String projectId, long sentAtMillis) {
        return new Lane.Awaited(rowNo, projectId, deadline(sentAtMillis), giveUp(sentAtMillis), sentNanos(sentAtMillis));
    }

    /**
     * The sending time on the monotonic clock; MIN_VALUE for an import an earlier run sent,
     * which tells nothing of how long imports take now.
     */
    private long sentNanos(long sentAtMillis) {
        if (sentAtMillis < startMillis) {
            return Long.MIN_VALUE;
        }
        return clocks.nanos() - TimeUnit.MILLISECONDS.toNanos(Math.max(0, clocks.millis() - sentAtMillis));
    }

    long deadline(long sentAtMillis) {
        return Math.max(sentAtMillis, startMillis) + properties.timeout().toMillis();
    }

    /** When a project still Importing is given up; an unknown sending time gives no such time. */
    private long giveUp(long sentAtMillis) {
        return sentAtMillis <= 0 ? Long.MAX_VALUE : sentAtMillis + properties.giveUpAfter().toMillis();
    }

    /** The service made the project (in an answer, or found for a lost answer in the project list). */
    void accepted(Lane lane, long rowNo, Project project, long sentAt, long answeredAt) {
        rows.importing(rowNo, project.id(), answeredAt);
        monitor.locked(() -> {
            lane.answered();
            if (project.created() != null) {
                lane.observe(sentAt, answeredAt, project.created());
            }
        });
        log.debug("row {}: project {} on {} is {}", rowNo, project.id(), lane, project.statusText());
        if (project.status() != ProjectStatus.IMPORTING) {
            settle(lane, rowNo, project);
            return;
        }
        Lane.Awaited awaited = of(rowNo, project.id(), sentAt);
        monitor.locked(() -> {
            if (lane.awaited.isEmpty()) {
                // Its first listing waits for when the import could first have finished.
                lane.nextPollNanos = Math.max(clocks.nanos() + lane.pollIntervalNanos, due.finishAt(lane, awaited));
            }
            lane.awaited.put(project.id(), awaited);
            due.awaiting(lane, awaited);
        });
    }

    /** The project left Importing; a source row's project that Succeeded is verified. */
    void settle(Lane lane, long rowNo, Project project) {
        if (project.status() == ProjectStatus.SUCCEEDED) {
            if (rows.succeeded(rowNo, project.id())) {
                verifier.verify(lane, rowNo, project.id());
            }
        }
        else {
            rows.failed(rowNo, project.id(), "project status " + project.statusText());
        }
        log.debug("row {}: {}", rowNo, project.status());
    }
}
