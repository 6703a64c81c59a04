package io.cvimport.imports.settling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.AwaitedImport;

/**
 * After a source row's project Succeeded: GetTags on the target, compared with the tag
 * count its export announced. A mismatch cannot undo the import: the row stays SUCCEEDED,
 * marked {@code verified=false} with what was found. Token rows (no export counts) and
 * projects whose tags cannot be read now are left unverified.
 */
public final class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    private final CustomVisionApi client;
    private final RowRecorder rows;
    private final LaneOwner owner;
    private final CallCounts counts;
    private final boolean enabled;

    public Verifier(CustomVisionApi client, CallContext context, boolean enabled) {
        this.client = client;
        this.rows = context.rows();
        this.owner = context.owner();
        this.counts = context.counts();
        this.enabled = enabled;
    }

    /** Whether a row whose project Succeeded is to be verified: a source row, with import.verify on. */
    boolean wants(AwaitedImport succeeded) {
        return enabled && succeeded.source();
    }

    /** Verifies a row {@link #wants}: the scheduler took the lane's budget for its GetTags. */
    public void verify(Lane lane, AwaitedImport succeeded) {
        try {
            compare(lane, succeeded);
        }
        catch (RuntimeException e) {
            owner.fail(e);
        }
        finally {
            owner.tell(lane::verified);
        }
    }

    private void compare(Lane lane, AwaitedImport succeeded) {
        long rowNo = succeeded.rowNo();
        String projectId = succeeded.projectId();
        // The ledger is read only for a source row this run did not export (sent by an earlier run).
        Integer expected = succeeded.exportedTags() != null ? succeeded.exportedTags() : rows.exportedTags(rowNo);
        if (expected == null) {
            return;
        }
        counts.tagsRead();
        ApiResult<Integer> result = client.tags(owner.ask(lane::listingTarget), projectId);
        owner.tell(() -> lane.observe(result));
        if (!(result instanceof ApiResult.Ok<Integer> ok)) {
            log.info("row {}: the tags of project {} on {} could not be read ({}); left unverified", rowNo, projectId,
                    lane, ((ApiResult.Failed<Integer>) result).error().code());
            return;
        }
        boolean matches = ok.value().intValue() == expected;
        if (!matches) {
            log.warn("row {}: project {} on {} has {} tags where its export had {}", rowNo, projectId, lane, ok.value(),
                    expected);
        }
        rows.verified(rowNo, matches, matches ? null
                : "verified=false: the imported project has " + ok.value() + " tags where its export had " + expected);
    }
}
