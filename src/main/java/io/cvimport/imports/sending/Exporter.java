package io.cvimport.imports.sending;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.customvision.SourceProject;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.lanes.Pacing;
import io.cvimport.imports.lanes.ResourceLanes;

/**
 * ExportProject for a row that names its source project, just before its import leaves:
 * a call on the source resource's rate budget, which every row of that source shares (the
 * source's lane, a target like any other for pacing). The token it returns lives in the
 * caller's memory for that one send.
 */
final class Exporter {

    private final CustomVisionApi client;
    private final LaneOwner owner;
    private final ResourceLanes lanes;
    private final CallCounts counts;
    private final Clocks clocks;

    Exporter(CustomVisionApi client, CallContext context) {
        this.client = client;
        this.owner = context.owner();
        this.lanes = context.lanes();
        this.counts = context.counts();
        this.clocks = context.clocks();
    }

    /**
     * Exports once; unless {@code budgetTaken} (at the hand-out, see {@link SourceSends}),
     * waiting for the source's budget first, and while the source is paused (it throttled or
     * failed an earlier export: its wait holds every row that exports from it).
     */
    ApiResult<ProjectExport> export(SourceProject source, boolean budgetTaken) throws InterruptedException {
        Lane lane = laneOf(source);
        if (!budgetTaken) {
            Pacing.awaitTurn(owner, lane, clocks);
        }
        counts.exported();
        ApiResult<ProjectExport> result = client.exportProject(source.resource(), source.projectId());
        owner.tell(() -> {
            lane.observe(result);
            if (result instanceof ApiResult.Ok<ProjectExport>) {
                lane.answered();
            }
        });
        return result;
    }

    /** The source resource's lane: its rate budget, shared with its imports and listings if it is a target too. */
    Lane laneOf(SourceProject source) {
        return owner.ask(() -> lanes.of(source.resource()));
    }
}
