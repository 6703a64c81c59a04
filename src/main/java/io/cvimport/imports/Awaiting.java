package io.cvimport.imports;

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
    /** The deadline counts from this run's start for rows sent by an earlier run. */
    private final long startMillis;

    Awaiting(RowRecorder rows, LaneMonitor monitor, ImportProperties properties, Clocks clocks) {
        this.rows = rows;
        this.monitor = monitor;
        this.properties = properties;
        this.clocks = clocks;
        this.startMillis = clocks.millis();
    }

    Lane.Awaited of(long rowNo, String projectId, long sentAtMillis) {
        return new Lane.Awaited(rowNo, projectId, deadline(sentAtMillis), giveUp(sentAtMillis));
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
            settle(rowNo, project);
            return;
        }
        monitor.locked(() -> {
            if (lane.awaited.isEmpty()) {
                lane.nextPollNanos = clocks.nanos() + lane.pollIntervalNanos;
            }
            lane.awaited.put(project.id(), of(rowNo, project.id(), sentAt));
        });
    }

    /** The project left Importing. */
    void settle(long rowNo, Project project) {
        if (project.status() == ProjectStatus.SUCCEEDED) {
            rows.succeeded(rowNo, project.id());
        }
        else {
            rows.failed(rowNo, project.id(), "project status " + project.statusText());
        }
        log.debug("row {}: {}", rowNo, project.status());
    }
}
