package io.cvimport.imports.sending;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
import io.cvimport.imports.lanes.EnvironmentStops;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.settling.Awaiting;
import io.cvimport.imports.lanes.Pacing;
import io.cvimport.imports.lanes.Send;

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
    private final CallContext context;
    private final ClaimWaits claimWaits;
    private final ImportAnswers answers;
    private final Exporter exporter;

    public Sender(CustomVisionApi client, CallContext context, EnvironmentStops environment, Awaiting awaiting,
            ClaimWaits claimWaits) {
        this.client = client;
        this.context = context;
        this.claimWaits = claimWaits;
        this.answers = new ImportAnswers(context, environment, awaiting, client.requestLifetime());
        this.exporter = new Exporter(client, context);
    }

    public void send(Lane lane, Send send) {
        LaneOwner owner = context.owner();
        AtomicBoolean slot = new AtomicBoolean();
        try {
            ApiError refusal = owner.ask(() -> lane.refusalOf(send.target()));
            if (refusal != null) {
                // The service refused this key's listing: an import with it would be refused too, or
                // (behind a gateway's 503) leave an answer no listing with this key could decide.
                context.rows().refusedUnsent(send.rowNo(), refusal);
                return;
            }
            exportAndImport(lane, send, slot);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.rows().backToPending(send.rowNo(), "Interrupted", "not sent: the run stopped before its turn came");
        }
        catch (RuntimeException e) {
            owner.fail(e);
        }
        finally {
            boolean release = slot.get();
            owner.tell(() -> lane.sendEnded(release, send.source() != null));
        }
    }

    /**
     * A source row's export (again, when the import refused its token), the resource's send
     * slot ({@code slot} says whether it was taken) and the import, until the import is answered.
     */
    private void exportAndImport(Lane lane, Send send, AtomicBoolean slot) throws InterruptedException {
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
            if (!slot.get() && !takeSlot(lane, send)) {
                return;
            }
            slot.set(true);
            if (send.source() != null) {
                // The import takes its target's budget as it leaves (see SourceSends), and
                // before the row is marked: rows marked SUBMITTING while waiting their turn
                // would overlap, and a kill then leaves lost answers no listing can tell apart.
                Pacing.awaitTurn(context.owner(), lane, context.clocks());
            }
            if (importOnce(lane, send, export, exports < MAX_REEXPORTS)) {
                return;
            }
        }
    }

    /**
     * One import of unknown outcome per resource: a lost answer then has exactly one
     * candidate. The ledger's slot holds this across runs and workers, this one in the lane.
     * False when the row does not go now: handed back to the lane (its export is not used: the
     * row, still PENDING, is exported again when its turn comes), or the engine stops.
     */
    private boolean takeSlot(Lane lane, Send send) throws InterruptedException {
        LaneOwner.SlotTurn turn = context.owner().awaitImportSlot(lane, SLOT_WAIT_NANOS);
        if (turn == LaneOwner.SlotTurn.BUSY) {
            context.owner().tell(() -> context.lanes().queue(lane, send.untilSlotFree(), true));
        }
        return turn == LaneOwner.SlotTurn.TAKEN;
    }

    /**
     * The row marked SUBMITTING, the request sent and its answer handled; false when the
     * service refused the exported token before any work and another export may mint a fresh one.
     */
    private boolean importOnce(Lane lane, Send send, @Nullable ProjectExport export, boolean mayExportAgain) {
        long sentAt = context.clocks().millis();
        if (!submitted(lane, send, export, sentAt)) {
            return true;
        }
        context.counts().imported();
        // Read just before the request leaves: a lost answer's lifetime is counted from here.
        long sentNanos = context.clocks().nanos();
        long listedBefore = context.owner().ask(lane::lastListingNanos);
        ApiResult<Project> result = client.importProject(send.target().endpoint(), send.target().key(),
                export == null ? send.token() : export.token());
        long answeredAt = context.clocks().millis();
        context.owner().tell(() -> lane.observe(result));
        if (export != null && mayExportAgain && refusedToken(result)) {
            // Refused before any work: the token expired or is bad. Another export mints a fresh one.
            ApiError error = ((ApiResult.Failed<Project>) result).error();
            context.rows().backToPending(send.rowNo(), error.code(), error.message());
            log.info("row {} to {}: the import refused the exported token ({}); exporting again", send.rowNo(), lane,
                    error.code());
            return false;
        }
        answers.answered(lane, send, result, new ImportAnswers.Left(sentAt, sentNanos, listedBefore), answeredAt,
                export);
        return true;
    }

    /**
     * The write-ahead: the row is marked SUBMITTING with its claim and its resource's send
     * slot, in one transaction with the fence check; whether the request may leave now. A row
     * whose claim or slot another row holds waits as {@link ClaimWaits} says.
     */
    private boolean submitted(Lane lane, Send send, @Nullable ProjectExport export, long sentAt) {
        Submission submission = context.rows().submitting(send.rowNo(), sentAt, context.properties().resendInDoubt());
        if (submission.slotBusy()) {
            claimWaits.slotBusy(lane, send);
            return false;
        }
        if (submission.heldBy() != null) {
            claimWaits.held(lane, send, submission.heldBy());
            return false;
        }
        if (!submission.mayBeSent()) {
            log.debug("row {} is no longer pending; not sent", send.rowNo());
            return false;
        }
        if (export != null) {
            context.rows().exported(send.rowNo(), export, sentAt);
        }
        if (context.clocks().millis() - sentAt > PAUSE_MILLIS) {
            // This thread was held up (a frozen VM, a pause): another run may have taken the
            // lock over meanwhile. Throws, leaving the row SUBMITTING for that run to reconcile.
            context.rows().checkFence();
        }
        return true;
    }

    /**
     * The row's fresh token, or null when the export failed: refused (REJECTED, with the
     * service's code, through SUBMITTING like a refused import), or not answered (the row is
     * sent again, like an import refused before any work).
     */
    private @Nullable ProjectExport export(Lane lane, Send send, boolean budgetTaken)
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
            case RETRYABLE, UNCERTAIN -> answers.retry(lane, send, failed, exporter.laneOf(Objects.requireNonNull(send.source())),
                    false);
            case ENVIRONMENT -> answers.environmentFailed(lane, send, error, false);
        }
        return null;
    }

    /**
     * The export was refused: nothing is imported, so the row takes no send slot. A row whose
     * claim another row holds ends as that row allows (DUPLICATE, ALREADY_IMPORTED, ...).
     */
    private void exportRefused(Lane lane, Send send, ApiError error) {
        ClaimHolder holder = context.rows().claimHolder(send.rowNo());
        if (holder != null) {
            claimWaits.held(lane, send, holder);
        }
        else {
            context.rows().refusedUnsent(send.rowNo(), error);
        }
    }

    /** An import refused for its token, which another export replaces. */
    private static boolean refusedToken(ApiResult<Project> result) {
        return result instanceof ApiResult.Failed<Project> failed && failed.failure() == Failure.TERMINAL
                && failed.error().code().contains("ImportToken");
    }
}
