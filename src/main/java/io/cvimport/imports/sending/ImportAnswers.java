package io.cvimport.imports.sending;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.imports.lanes.Backoff;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.EnvironmentStops;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.settling.Awaiting;
import io.cvimport.imports.lanes.LostAnswer;
import io.cvimport.imports.lanes.Send;

/**
 * What an import's answer proves, and what follows: accepted (awaited), refused (REJECTED),
 * refused before any work (sent again later, the lane paused or slowed), lost (reconciled
 * from the project list), or the environment's failure (nothing left this machine).
 */
final class ImportAnswers {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final CallContext context;
    private final EnvironmentStops environment;
    private final Awaiting awaiting;
    /** How long a sent request may still be performed: connect and answer timeouts. */
    private final Duration requestLifetime;

    ImportAnswers(CallContext context, EnvironmentStops environment, Awaiting awaiting, Duration requestLifetime) {
        this.context = context;
        this.environment = environment;
        this.awaiting = awaiting;
        this.requestLifetime = requestLifetime;
    }

    /** When (monotonic) a request left, and when its lane's last listing before it was asked for. */
    record Left(long sentAtMillis, long nanos, long listedBeforeNanos) {
    }

    void answered(Lane lane, Send send, ApiResult<Project> result, Left left, long answeredAt,
            @Nullable ProjectExport export) {
        // The service cannot have acted before the request could leave: a later start narrows the window.
        long leftAt = Math.max(left.sentAtMillis(), result.requestStartedAtMillis());
        if (result instanceof ApiResult.Ok<Project> ok) {
            awaiting.accepted(lane, send.rowNo(), ok.value(), leftAt, answeredAt, send.source() != null, export);
        }
        else if (result instanceof ApiResult.Failed<Project> failed) {
            switch (failed.failure()) {
                case TERMINAL -> context.rows().rejected(send.rowNo(), failed.error());
                case RETRYABLE -> retry(lane, send, failed, lane, true);
                case UNCERTAIN -> answerLost(lane, send, leftAt, left, answeredAt, failed.error());
                case ENVIRONMENT -> environmentFailed(lane, send, failed.error(), true);
            }
        }
    }

    /**
     * Sends the row again later, on its lane; {@code answering} is the lane whose resource
     * refused (the row's own, or for an export its source's): that one waits or slows down.
     * {@code submitted}: the row was marked SUBMITTING (an import), not still PENDING (an export).
     */
    void retry(Lane lane, Send send, ApiResult.Failed<?> failed, Lane answering, boolean submitted) {
        ApiError error = failed.error();
        int attempts = send.attempts() + 1;
        if (error.httpStatus() == 429) {
            context.counts().throttled();
        }
        int maxAttempts = context.properties().maxAttempts();
        if (attempts >= maxAttempts) {
            // Not the row's fault: it stays PENDING, the run fails, and the next run sends it.
            unsent(send.rowNo(), submitted, error.code(), "not sent after " + attempts + " attempts: "
                    + error.message());
            context.counts().unsent();
            log.warn("row {} to {}: not sent after {} attempts ({} {}); the next run sends it", send.rowNo(), lane,
                    attempts, error.httpStatus(), error.code());
            return;
        }
        context.counts().retried();
        unsent(send.rowNo(), submitted, error.code(), error.message());
        Duration wait = Backoff.waitBefore(attempts, failed.retryAfter(), context.properties());
        log.info("row {} to {}: {} {}{}, attempt {} of {} in {} ms", send.rowNo(), lane, error.httpStatus(),
                error.code(), answering == lane ? "" : " (export from " + answering + ")", attempts + 1,
                maxAttempts, wait.toMillis());
        long now = context.clocks().nanos();
        context.owner().tell(() -> {
            context.lanes().queue(lane, send.again(attempts, send.heldSinceMillis()), true);
            if (error.httpStatus() == 429) {
                answering.throttled(now, wait);
            }
            else {
                answering.pauseUntil(now + wait.toNanos());
            }
        });
    }

    /** Nothing left this machine: the row stays PENDING, and the target is paused or given up for this run. */
    void environmentFailed(Lane lane, Send send, ApiError error, boolean submitted) {
        unsent(send.rowNo(), submitted, error.code(), "not sent: " + error.code()
                + " before any request byte left; the same command sends it once the environment is fixed");
        log.debug("row {} to {}: not sent, {}", send.rowNo(), lane, error.code());
        long now = context.clocks().nanos();
        context.owner().tell(() -> {
            context.lanes().queue(lane, send, true);
            environment.failed(lane, error, context.lanes(), now);
        });
    }

    /**
     * The row is PENDING again, with why: moved back from SUBMITTING, or (an export failed
     * before it was marked) left PENDING with the export's error recorded.
     */
    private void unsent(long rowNo, boolean submitted, String code, String message) {
        if (submitted) {
            context.rows().backToPending(rowNo, code, message);
        }
        else {
            context.rows().notSent(rowNo, code, message);
        }
    }

    private void answerLost(Lane lane, Send send, long sentAt, Left left, long lostAt, ApiError error) {
        context.counts().answerLost();
        context.rows().answerLost(send.rowNo(), lostAt, error);
        log.warn("row {} to {}: the import's answer was lost ({}); the project list will tell whether it was made",
                send.rowNo(), lane, error.code());
        long now = context.clocks().nanos();
        LostAnswer lost = new LostAnswer(send.rowNo(), send.token(), send.target(), sentAt, left.nanos(),
                left.listedBeforeNanos(), left.nanos() + requestLifetime.toNanos(),
                now + context.properties().inDoubtGrace().toNanos(), send.source());
        context.owner().tell(() -> lane.answerLost(lost));
    }
}
