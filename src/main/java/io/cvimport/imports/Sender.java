package io.cvimport.imports;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Project;
import io.cvimport.ledger.Submission;

/**
 * One import: the row is marked SUBMITTING (claim and fence check in one transaction)
 * before the request leaves, and its answer decides what follows, by what the bytes on
 * the wire prove: accepted (awaited), refused (REJECTED), refused before any work (sent
 * again later), lost (reconciled from the project list), or the environment's failure.
 */
final class Sender {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    /** Longer than this between marking a row SUBMITTING and sending it, and the fence is read again. */
    private static final long PAUSE_MILLIS = 1000;
    private static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final CustomVisionApi client;
    private final RowRecorder rows;
    private final LaneMonitor monitor;
    private final ResourceLanes lanes;
    private final EnvironmentStops environment;
    private final Awaiting awaiting;
    private final ClaimWaits claimWaits;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallCounts counts;

    Sender(CustomVisionApi client, RowRecorder rows, LaneMonitor monitor, ResourceLanes lanes,
            EnvironmentStops environment, Awaiting awaiting, ClaimWaits claimWaits, ImportProperties properties,
            Clocks clocks, CallCounts counts) {
        this.client = client;
        this.rows = rows;
        this.monitor = monitor;
        this.lanes = lanes;
        this.environment = environment;
        this.awaiting = awaiting;
        this.claimWaits = claimWaits;
        this.properties = properties;
        this.clocks = clocks;
        this.counts = counts;
    }

    void send(Lane lane, Lane.Send send) {
        long rowNo = send.rowNo();
        try {
            long sentAt = clocks.millis();
            Submission submission = rows.submitting(rowNo, sentAt, properties.resendInDoubt());
            if (submission.heldBy() != null) {
                claimWaits.held(lane, send, submission.heldBy());
                return;
            }
            if (!submission.mayBeSent()) {
                log.debug("row {} is no longer pending; not sent", rowNo);
                return;
            }
            if (clocks.millis() - sentAt > PAUSE_MILLIS) {
                // This thread was held up (a frozen VM, a pause): another run may have taken the
                // lock over meanwhile. Throws, leaving the row SUBMITTING for that run to reconcile.
                rows.checkFence();
            }
            counts.imported();
            ApiResult<Project> result = client.importProject(send.target().endpoint(), send.target().key(),
                    send.token());
            long answeredAt = clocks.millis();
            monitor.locked(() -> lane.observe(result));
            // The service cannot have acted before the request could leave: a later start narrows the window.
            long leftAt = Math.max(sentAt, result.requestStartedAtMillis());
            if (result instanceof ApiResult.Ok<Project> ok) {
                awaiting.accepted(lane, rowNo, ok.value(), leftAt, answeredAt);
            }
            else if (result instanceof ApiResult.Failed<Project> failed) {
                switch (failed.failure()) {
                    case TERMINAL -> rows.rejected(rowNo, failed.error());
                    case RETRYABLE -> retry(lane, send, failed);
                    case UNCERTAIN -> answerLost(lane, send, leftAt, answeredAt, failed.error());
                    case ENVIRONMENT -> environmentFailed(lane, send, failed.error());
                }
            }
        }
        catch (RuntimeException e) {
            monitor.fail(e);
        }
        finally {
            monitor.locked(() -> {
                lane.sending--;
            });
        }
    }

    private void retry(Lane lane, Lane.Send send, ApiResult.Failed<?> failed) {
        ApiError error = failed.error();
        int attempts = send.attempts() + 1;
        if (error.httpStatus() == 429) {
            counts.throttled();
        }
        if (attempts >= properties.maxAttempts()) {
            // Not the row's fault: it stays PENDING, the run fails, and the next run sends it.
            rows.backToPending(send.rowNo(), error.code(), "not sent after " + attempts + " attempts: "
                    + error.message());
            counts.unsent();
            log.warn("row {} to {}: not sent after {} attempts ({} {}); the next run sends it", send.rowNo(), lane,
                    attempts, error.httpStatus(), error.code());
            return;
        }
        counts.retried();
        rows.backToPending(send.rowNo(), error.code(), error.message());
        Duration wait = waitBefore(attempts, failed.retryAfter(), properties);
        log.info("row {} to {}: {} {}, attempt {} of {} in {} ms", send.rowNo(), lane, error.httpStatus(),
                error.code(), attempts + 1, properties.maxAttempts(), wait.toMillis());
        monitor.locked(() -> {
            lanes.queue(lane, new Lane.Send(send.target(), send.rowNo(), send.token(), attempts,
                    send.heldSinceMillis(), send.alone()), true);
            if (error.httpStatus() == 429) {
                lane.throttled(clocks.nanos(), wait);
            }
            else {
                lane.pausedUntilNanos = Math.max(lane.pausedUntilNanos, clocks.nanos() + wait.toNanos());
            }
        });
    }

    /** Nothing left this machine: the row stays PENDING, and the target is paused or given up for this run. */
    private void environmentFailed(Lane lane, Lane.Send send, ApiError error) {
        rows.backToPending(send.rowNo(), error.code(), "not sent: " + error.code()
                + " before any request byte left; the same command sends it once the environment is fixed");
        log.debug("row {} to {}: not sent, {}", send.rowNo(), lane, error.code());
        monitor.locked(() -> {
            lanes.queue(lane, send, true);
            environment.failed(lane, error, lanes, clocks.nanos());
        });
    }

    private void answerLost(Lane lane, Lane.Send send, long sentAt, long lostAt, ApiError error) {
        counts.answerLost();
        rows.answerLost(send.rowNo(), lostAt, error);
        log.warn("row {} to {}: the import's answer was lost ({}); the project list will tell whether it was made",
                send.rowNo(), lane, error.code());
        monitor.locked(() -> lane.lost.add(new Lane.Lost(send.rowNo(), send.token(), send.target(), sentAt, lostAt)));
    }

    /** How long to wait before trying again: as the service said, else doubling from 1 s; capped. */
    static Duration waitBefore(int attempts, @Nullable Duration retryAfter, ImportProperties properties) {
        Duration wait = retryAfter != null ? retryAfter
                : DEFAULT_RETRY_WAIT.multipliedBy(1L << Math.min(attempts - 1, 5));
        wait = wait.compareTo(MAX_BACKOFF) > 0 && retryAfter == null ? MAX_BACKOFF : wait;
        return wait.compareTo(properties.maxRetryAfter()) > 0 ? properties.maxRetryAfter() : wait;
    }
}
