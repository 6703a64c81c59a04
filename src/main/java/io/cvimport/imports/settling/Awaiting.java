package io.cvimport.imports.settling;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.customvision.ProjectStatus;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallsDue;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.AwaitedImport;
import io.cvimport.ledger.ExportedCounts;
import io.cvimport.imports.ImportProperties;

/**
 * Imports the service accepted: recorded at once, then awaited on their lane until their
 * project leaves Importing (TIMED_OUT at this run's deadline, FAILED past the give-up time).
 */
public final class Awaiting {

    private static final Logger log = LoggerFactory.getLogger(Awaiting.class);

    private final RowRecorder rows;
    private final LaneOwner owner;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallsDue due;
    private final Verifier verifier;
    /** The deadline counts from this run's start for rows sent by an earlier run. */
    private final long startMillis;

    public Awaiting(CallContext context, CallsDue due, Verifier verifier) {
        this.due = due;
        this.verifier = verifier;
        this.rows = context.rows();
        this.owner = context.owner();
        this.properties = context.properties();
        this.clocks = context.clocks();
        this.startMillis = context.clocks().millis();
    }

    /**
     * @param source whether the row names its source project
     * @param export its export in this run, whose estimate and tag count go with it; null for
     *               a token row, or a source row an earlier run exported
     */
    public AwaitedImport of(long rowNo, String projectId, long sentAtMillis, boolean source, @Nullable ProjectExport export) {
        // The estimate moves the row's first listing, never past the run's deadline for it.
        long estimateNanos = export == null ? 0
                : Math.min(export.estimatedImportTime().toNanos(), properties.timeout().toNanos());
        return new AwaitedImport(rowNo, projectId, deadline(sentAtMillis), giveUp(sentAtMillis), sentNanos(sentAtMillis),
                source, Math.max(0, estimateNanos), export == null ? null : new ExportedCounts(
                        export.iterationCount(), export.imageCount(), export.tagCount(), export.regionCount(),
                        export.estimatedImportTime().toMillis()));
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

    /**
     * The service made the project (in an answer, or found for a lost answer in the project
     * list); {@code source} and {@code export} as in {@link #of}.
     */
    public void accepted(Lane lane, long rowNo, Project project, long sentAt, long answeredAt, boolean source,
            @Nullable ProjectExport export) {
        rows.importing(rowNo, project.id(), answeredAt);
        owner.tell(() -> {
            lane.answered();
            if (project.created() != null) {
                lane.observe(sentAt, answeredAt, project.created());
            }
        });
        log.debug("row {}: project {} on {} is {}", rowNo, project.id(), lane, project.statusText());
        AwaitedImport awaited = of(rowNo, project.id(), sentAt, source, export);
        if (project.status() != ProjectStatus.IMPORTING) {
            settle(lane, awaited, project);
            return;
        }
        long now = clocks.nanos();
        owner.tell(() -> due.accepted(lane, awaited, now));
    }

    /** The project left Importing; a source row's project that Succeeded is verified. */
    void settle(Lane lane, AwaitedImport awaited, Project project) {
        long rowNo = awaited.rowNo();
        if (project.status() == ProjectStatus.SUCCEEDED) {
            if (rows.succeeded(rowNo, project.id()) && verifier.wants(awaited)) {
                // Its reads wait for the lane's budget like any call, and are not made on this thread.
                owner.tell(() -> lane.verifyLater(awaited));
            }
        }
        else {
            rows.failed(rowNo, project.id(), "project status " + project.statusText());
        }
        log.debug("row {}: {}", rowNo, project.status());
    }
}
