package io.cvimport.imports.sending;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.Submission;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.EnvironmentStops;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.lanes.ResourceLanes;
import io.cvimport.imports.settling.Awaiting;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.ImportProperties;
import io.cvimport.imports.lanes.Backoff;
import io.cvimport.imports.lanes.Pacing;

/**
 * One import: the row is marked SUBMITTING (claim and fence check in one transaction)
 * before the request leaves, and its answer decides what follows, by what the bytes on
 * the wire prove: accepted (awaited), refused (REJECTED), refused before any work (sent
 * again later), lost (reconciled from the project list), or the environment's failure.
 * A row that names its source project is exported first, just before it is marked: its
 * token is seconds old, lives only here, and is exported again when the import refuses it.
 */
public final class Sender {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    /** Longer than this between marking a row SUBMITTING and sending it, and the fence is read again. */
    private static final long PAUSE_MILLIS = 1000;
    /** The longest a worker waits for its lane's send slot before handing the row back to the lane. */
    private static final long SLOT_WAIT_NANOS = Duration.ofSeconds(1).toNanos();
    /** Exports after the first, for imports that refused the exported token (expired, invalid). */
    private static final int MAX_REEXPORTS = 2;

    private final CustomVisionApi client;
    private final RowRecorder rows;
    private final LaneOwner owner;
    private final ResourceLanes lanes;
    private final EnvironmentStops environment;
    private final Awaiting awaiting;
    private final ClaimWaits claimWaits;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallCounts counts;
    private final Exporter exporter;

    public Sender(CustomVisionApi client, RowRecorder rows, LaneOwner owner, ResourceLanes lanes,
            EnvironmentStops environment, Awaiting awaiting, ClaimWaits claimWaits, ImportProperties properties,
            Clocks clocks, CallCounts counts) {
        this.client = client;
        this.rows = rows;
        this.owner = owner;
        this.lanes = lanes;
        this.environment = environment;
        this.awaiting = awaiting;
        this.claimWaits = claimWaits;
        this.properties = properties;
        this.clocks = clocks;
        this.counts = counts;
        this.exporter = new Exporter(client, owner, lanes, counts, clocks);
    }

    public void send(Lane lane, Lane.Send send) {
        long rowNo = send.rowNo();
        boolean slot = false;
        try {
            ApiError refusal = owner.ask(() -> lane.refusalOf(send.target()));
            if (refusal != null) {
                // The service refused this key's listing: an import with it would be refused too, or
                // (behind a gateway's 503) leave an answer no listing with this key could decide.
                rows.refusedUnsent(rowNo, refusal);
                return;
            }
            for (int exports = 0;; exports++) {
                ProjectExport export = null;
                if (send.source() != null) {
                    // Before the row is marked: a run killed while exporting leaves it PENDING,
                    // provably unsent, and the next run simply exports again. The first export's
                    // budget was taken when the send was handed out.
                    export = export(lane, send, exports == 0);
                    if (export == null) {
                        return;
                    }
                }
                // One import of unknown outcome per resource: a lost answer then has exactly one
                // candidate. The ledger's slot holds this across runs and workers, this one in the lane.
                if (!slot) {
                    LaneOwner.SlotTurn turn = owner.awaitImportSlot(lane, SLOT_WAIT_NANOS);
                    if (turn == LaneOwner.SlotTurn.BUSY) {
                        // Its export is not used: the row, still PENDING, is exported again when its turn comes.
                        owner.tell(() -> lanes.queue(lane, send.untilSlotFree(), true));
                        return;
                    }
                    if (turn == LaneOwner.SlotTurn.STOPPING) {
                        return; // the row stays PENDING
                    }
                    slot = true;
                }
                if (send.source() != null) {
                    // The import takes its target's budget as it leaves (see SourceSends), and
                    // before the row is marked: rows marked SUBMITTING while waiting their turn
                    // would overlap, and a kill then leaves lost answers no listing can tell apart.
                    Pacing.awaitTurn(owner, lane, clocks);
                }
                long sentAt = clocks.millis();
                Submission submission = rows.submitting(rowNo, sentAt, properties.resendInDoubt());
                if (submission.slotBusy()) {
                    claimWaits.slotBusy(lane, send);
                    return;
                }
                if (submission.heldBy() != null) {
                    claimWaits.held(lane, send, submission.heldBy());
                    return;
                }
                if (!submission.mayBeSent()) {
                    log.debug("row {} is no longer pending; not sent", rowNo);
                    return;
                }
                if (export != null) {
                    rows.exported(rowNo, export, sentAt);
                }
                if (clocks.millis() - sentAt > PAUSE_MILLIS) {
                    // This thread was held up (a frozen VM, a pause): another run may have taken the
                    // lock over meanwhile. Throws, leaving the row SUBMITTING for that run to reconcile.
                    rows.checkFence();
                }
                counts.imported();
                // Read just before the request leaves: a lost answer's lifetime is counted from here.
                long sentNanos = clocks.nanos();
                long listedBefore = owner.ask(lane::lastListingNanos);
                ApiResult<Project> result = client.importProject(send.target().endpoint(), send.target().key(),
                        export == null ? send.token() : export.token());
                long answeredAt = clocks.millis();
                owner.tell(() -> lane.observe(result));
                if (export != null && exports < MAX_REEXPORTS && refusedToken(result)) {
                    // Refused before any work: the token expired or is bad. Another export mints a fresh one.
                    ApiError error = ((ApiResult.Failed<Project>) result).error();
                    rows.backToPending(rowNo, error.code(), error.message());
                    log.info("row {} to {}: the import refused the exported token ({}); exporting again", rowNo, lane,
                            error.code());
                    continue;
                }
                answered(lane, send, result, sentAt, new Left(sentNanos, listedBefore), answeredAt, export);
                return;
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rows.backToPending(rowNo, "Interrupted", "not sent: the run stopped before its turn came");
        }
        catch (RuntimeException e) {
            owner.fail(e);
        }
        finally {
            boolean release = slot;
            owner.tell(() -> lane.sendEnded(release, send.source() != null));
        }
    }

    /** When (monotonic) a request left, and when its lane's last listing before it was asked for. */
    private record Left(long nanos, long listedBeforeNanos) {
    }

    private void answered(Lane lane, Lane.Send send, ApiResult<Project> result, long sentAt, Left left,
            long answeredAt, @Nullable ProjectExport export) {
        // The service cannot have acted before the request could leave: a later start narrows the window.
        long leftAt = Math.max(sentAt, result.requestStartedAtMillis());
        if (result instanceof ApiResult.Ok<Project> ok) {
            awaiting.accepted(lane, send.rowNo(), ok.value(), leftAt, answeredAt, send.source() != null, export);
        }
        else if (result instanceof ApiResult.Failed<Project> failed) {
            switch (failed.failure()) {
                case TERMINAL -> rows.rejected(send.rowNo(), failed.error());
                case RETRYABLE -> retry(lane, send, failed, lane, true);
                case UNCERTAIN -> answerLost(lane, send, leftAt, left, answeredAt, failed.error());
                case ENVIRONMENT -> environmentFailed(lane, send, failed.error(), true);
            }
        }
    }

    /**
     * The row's fresh token, or null when the export failed: refused (REJECTED, with the
     * service's code, through SUBMITTING like a refused import), or not answered (the row is
     * sent again, like an import refused before any work).
     */
    private @Nullable ProjectExport export(Lane lane, Lane.Send send, boolean budgetTaken)
            throws InterruptedException {
        ApiResult<ProjectExport> result = exporter.export(Objects.requireNonNull(send.source()), budgetTaken);
        if (result instanceof ApiResult.Ok<ProjectExport> ok) {
            return ok.value();
        }
        ApiResult.Failed<ProjectExport> failed = (ApiResult.Failed<ProjectExport>) result;
        ApiError error = failed.error();
        switch (failed.failure()) {
            case TERMINAL -> exportRefused(lane, send, new ApiError(error.httpStatus(), error.code(),
                    "ExportProject on the source refused: " + error.message()));
            case RETRYABLE, UNCERTAIN -> retry(lane, send, failed, exporter.laneOf(Objects.requireNonNull(send.source())),
                    false);
            case ENVIRONMENT -> environmentFailed(lane, send, error, false);
        }
        return null;
    }

    /**
     * The export was refused: nothing is imported, so the row takes no send slot. A row whose
     * claim another row holds ends as that row allows (DUPLICATE, ALREADY_IMPORTED, ...).
     */
    private void exportRefused(Lane lane, Lane.Send send, ApiError error) {
        ClaimHolder holder = rows.claimHolder(send.rowNo());
        if (holder != null) {
            claimWaits.held(lane, send, holder);
        }
        else {
            rows.refusedUnsent(send.rowNo(), error);
        }
    }

    /** An import refused for its token, which another export replaces. */
    private static boolean refusedToken(ApiResult<Project> result) {
        return result instanceof ApiResult.Failed<Project> failed && failed.failure() == Failure.TERMINAL
                && failed.error().code().contains("ImportToken");
    }

    /**
     * Sends the row again later, on its lane; {@code answering} is the lane whose resource
     * refused (the row's own, or for an export its source's): that one waits or slows down.
     * {@code submitted}: the row was marked SUBMITTING (an import), not still PENDING (an export).
     */
    private void retry(Lane lane, Lane.Send send, ApiResult.Failed<?> failed, Lane answering, boolean submitted) {
        ApiError error = failed.error();
        int attempts = send.attempts() + 1;
        if (error.httpStatus() == 429) {
            counts.throttled();
        }
        if (attempts >= properties.maxAttempts()) {
            // Not the row's fault: it stays PENDING, the run fails, and the next run sends it.
            unsent(send.rowNo(), submitted, error.code(), "not sent after " + attempts + " attempts: "
                    + error.message());
            counts.unsent();
            log.warn("row {} to {}: not sent after {} attempts ({} {}); the next run sends it", send.rowNo(), lane,
                    attempts, error.httpStatus(), error.code());
            return;
        }
        counts.retried();
        unsent(send.rowNo(), submitted, error.code(), error.message());
        Duration wait = Backoff.waitBefore(attempts, failed.retryAfter(), properties);
        log.info("row {} to {}: {} {}{}, attempt {} of {} in {} ms", send.rowNo(), lane, error.httpStatus(),
                error.code(), answering == lane ? "" : " (export from " + answering + ")", attempts + 1,
                properties.maxAttempts(), wait.toMillis());
        owner.tell(() -> {
            lanes.queue(lane, send.again(attempts, send.heldSinceMillis()), true);
            if (error.httpStatus() == 429) {
                answering.throttled(clocks.nanos(), wait);
            }
            else {
                answering.pauseUntil(clocks.nanos() + wait.toNanos());
            }
        });
    }

    /** Nothing left this machine: the row stays PENDING, and the target is paused or given up for this run. */
    private void environmentFailed(Lane lane, Lane.Send send, ApiError error, boolean submitted) {
        unsent(send.rowNo(), submitted, error.code(), "not sent: " + error.code()
                + " before any request byte left; the same command sends it once the environment is fixed");
        log.debug("row {} to {}: not sent, {}", send.rowNo(), lane, error.code());
        owner.tell(() -> {
            lanes.queue(lane, send, true);
            environment.failed(lane, error, lanes, clocks.nanos());
        });
    }

    /**
     * The row is PENDING again, with why: moved back from SUBMITTING, or (an export failed
     * before it was marked) left PENDING with the export's error recorded.
     */
    private void unsent(long rowNo, boolean submitted, String code, String message) {
        if (submitted) {
            rows.backToPending(rowNo, code, message);
        }
        else {
            rows.notSent(rowNo, code, message);
        }
    }

    private void answerLost(Lane lane, Lane.Send send, long sentAt, Left left, long lostAt, ApiError error) {
        counts.answerLost();
        rows.answerLost(send.rowNo(), lostAt, error);
        log.warn("row {} to {}: the import's answer was lost ({}); the project list will tell whether it was made",
                send.rowNo(), lane, error.code());
        long now = clocks.nanos();
        Lane.Lost lost = new Lane.Lost(send.rowNo(), send.token(), send.target(), sentAt, left.nanos(),
                left.listedBeforeNanos(), left.nanos() + client.requestLifetime().toNanos(), now + properties.inDoubtGrace().toNanos(),
                send.source());
        owner.tell(() -> lane.answerLost(lost));
    }
}
