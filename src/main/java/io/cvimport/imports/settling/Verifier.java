package io.cvimport.imports.settling;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.ProjectCount;
import io.cvimport.ledger.ExportedCounts;
import io.cvimport.verify.ImportedContents;
import io.cvimport.imports.lanes.AwaitedImport;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.ledger.RowRecorder;

/**
 * After a source row's project Succeeded: the reads that tell what it holds (its tagged and
 * untagged images, tags and iterations), compared with what its export announced
 * ({@link ImportedContents}). A mismatch cannot undo the import: the row stays SUCCEEDED,
 * marked {@code verified=false} with what was found. Token rows (no export counts) are left
 * unverified; so is a project some of whose counts cannot be read now, which says which.
 * <p>
 * Every read is one call the scheduler hands out on the target's budget, after the lane's
 * sends: a verification makes its next read and goes back into its lane's queue until it has
 * them all, so that it takes only the slots the sends leave. A run stopped halfway leaves the
 * row unverified, as a row stopped before its first read.
 */
public final class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);
    /** A read throttled or failed on the way is made again, at most this many times in all. */
    private static final int READ_ATTEMPTS = 3;
    private static final ProjectCount[] READS = ProjectCount.values();

    private final CustomVisionApi client;
    private final RowRecorder rows;
    private final LaneOwner owner;
    private final CallCounts counts;
    private final boolean enabled;
    /** The reads made so far of the verifications under way, by row; each row is worked by one call at a time. */
    private final Map<Long, Progress> underWay = new ConcurrentHashMap<>();

    private record Progress(ExportedCounts expected, Map<ProjectCount, ApiResult<Integer>> reads, int[] attempts) {
    }

    public Verifier(CustomVisionApi client, CallContext context, boolean enabled) {
        this.client = client;
        this.rows = context.rows();
        this.owner = context.owner();
        this.counts = context.counts();
        this.enabled = enabled;
    }

    /** Whether a row whose project Succeeded is to be verified: a source row, with import.verify on. */
    public boolean wants(AwaitedImport succeeded) {
        return enabled && succeeded.source();
    }

    /** Makes the next read of a row {@link #wants}: the scheduler took the lane's budget for it. */
    public void verify(Lane lane, AwaitedImport succeeded) {
        boolean again = false;
        try {
            again = readNext(lane, succeeded);
        }
        catch (RuntimeException e) {
            underWay.remove(succeeded.rowNo());
            owner.fail(e);
        }
        finally {
            boolean more = again;
            owner.tell(() -> {
                lane.verified();
                if (more) {
                    lane.verifyLater(succeeded);
                }
            });
        }
    }

    /** @return whether reads remain to be made */
    private boolean readNext(Lane lane, AwaitedImport succeeded) {
        long rowNo = succeeded.rowNo();
        Progress progress = underWay.get(rowNo);
        if (progress == null) {
            // The ledger is read only for a source row this run did not export (sent by an earlier run).
            ExportedCounts expected = succeeded.exported() != null ? succeeded.exported() : rows.exported(rowNo);
            if (expected == null) {
                return false;
            }
            progress = new Progress(expected, new EnumMap<>(ProjectCount.class), new int[1]);
            underWay.put(rowNo, progress);
        }
        ProjectCount what = READS[progress.reads().size()];
        counts.tagsRead();
        ApiResult<Integer> answer = client.count(owner.ask(lane::listingTarget), succeeded.projectId(), what);
        owner.tell(() -> lane.observe(answer));
        if (retryable(answer) && ++progress.attempts()[0] < READ_ATTEMPTS) {
            return true;
        }
        progress.attempts()[0] = 0;
        progress.reads().put(what, answer);
        if (progress.reads().size() < READS.length) {
            return true;
        }
        underWay.remove(rowNo);
        record(lane, succeeded, ImportedContents.compare(progress.expected(), progress.reads()));
        return false;
    }

    private void record(Lane lane, AwaitedImport succeeded, ImportedContents.Verdict verdict) {
        if (Boolean.FALSE.equals(verdict.verified())) {
            log.warn("row {}: project {} on {}: {}", succeeded.rowNo(), succeeded.projectId(), lane,
                    verdict.message());
        }
        else if (verdict.verified() == null) {
            log.info("row {}: project {} on {} left unverified: {}", succeeded.rowNo(), succeeded.projectId(), lane,
                    verdict.message());
        }
        rows.verified(succeeded.rowNo(), verdict.verified(), verdict.message());
    }

    private static boolean retryable(ApiResult<Integer> result) {
        return result instanceof ApiResult.Failed<Integer> failed && failed.failure() == Failure.RETRYABLE;
    }
}
