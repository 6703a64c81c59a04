package io.cvimport.imports;

import java.time.Duration;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.customvision.SourceProject;

/**
 * ExportProject for a row that names its source project, just before its import leaves:
 * a call on the source resource's rate budget, which every row of that source shares (the
 * source's lane, a target like any other for pacing). The token it returns lives in the
 * caller's memory for that one send.
 */
final class Exporter {

    /** How long a source that answered 429 without saying how long is left alone. */
    private static final Duration DEFAULT_THROTTLE = Duration.ofSeconds(1);

    private final CustomVisionApi client;
    private final LaneMonitor monitor;
    private final ResourceLanes lanes;
    private final CallCounts counts;
    private final Clocks clocks;

    Exporter(CustomVisionApi client, LaneMonitor monitor, ResourceLanes lanes, CallCounts counts, Clocks clocks) {
        this.client = client;
        this.monitor = monitor;
        this.lanes = lanes;
        this.counts = counts;
        this.clocks = clocks;
    }

    /** Exports once, waiting for the source's budget first. */
    ApiResult<ProjectExport> export(SourceProject source) throws InterruptedException {
        Lane lane = monitor.locked(() -> lanes.of(source.resource()));
        monitor.awaitBudget(lane);
        counts.exported();
        ApiResult<ProjectExport> result = client.exportProject(source.resource(), source.projectId());
        monitor.locked(() -> {
            lane.observe(result);
            if (result instanceof ApiResult.Failed<ProjectExport> failed && failed.error().httpStatus() == 429) {
                counts.throttled();
                // Slows the source's budget for every row that exports from it.
                lane.throttled(clocks.nanos(), failed.retryAfter() == null ? DEFAULT_THROTTLE : failed.retryAfter());
            }
            else if (result instanceof ApiResult.Ok<ProjectExport>) {
                lane.answered();
            }
        });
        return result;
    }
}
