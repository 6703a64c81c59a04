package io.cvimport.imports.lanes;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Which call a lane may make now, by {@link CallsDue}'s rules and its rate budget, and, when
 * none, when to look again. Runs on the owner's thread; the call it picks is marked on the
 * lane (sending, polling, ...) as it is handed out.
 */
final class NextCall {

    static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ResourceLanes lanes;
    private final CallsDue due;
    private final SourceSends sourceSends;

    NextCall(ResourceLanes lanes, CallsDue due) {
        this.lanes = lanes;
        this.due = due;
        this.sourceSends = new SourceSends(lanes);
    }

    /** A call of the lane's to hand out now, or, in {@code wake}, when to look again. */
    @Nullable Runnable of(Lane lane, long now, boolean stopping, LaneScheduler.Calls calls, Wake wake) {
        if (lane.stoppedBecause != null) {
            return null;
        }
        if (lane.pausedUntilNanos > now) {
            wake.at(lane.pausedUntilNanos);
            return null;
        }
        if (due.heldCheck(lane, now, stopping)) {
            lane.checkingHeld = true;
            return () -> calls.recheckHeld(lane);
        }
        boolean reconcile = due.reconcile(lane, now);
        boolean list = due.listing(lane, now, reconcile, stopping);
        Lane.Send head = !list && due.send(lane, stopping) ? lane.queue.peek() : null;
        // A source send whose source has no budget yet lets a verification go first.
        long turn = head != null && head.source() != null ? sourceSends.take(lane, now) : 0;
        if (turn != 0) {
            head = null;
            if (turn != Long.MAX_VALUE) {
                wake.at(Math.max(turn, now + MIN_WAIT_NANOS));
            }
        }
        // Verifications are reads of rows already SUCCEEDED: a stopping run still makes them.
        boolean verify = !list && head == null && !lane.toVerify.isEmpty();
        if (!list && head == null && !verify) {
            long listAt = due.listingAt(lane, now, stopping);
            if (listAt != Long.MAX_VALUE) {
                wake.at(Math.max(listAt, now + MIN_WAIT_NANOS));
            }
            return null;
        }
        // A row of a refused key is rejected without a call: it takes no budget.
        boolean refused = head != null && lane.refusalOf(head.target()) != null;
        if ((head == null || head.source() == null) && !refused && !lane.bucket.tryConsume(1)) {
            wake.at(now + Math.max(MIN_WAIT_NANOS, lane.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
            return null;
        }
        if (list) {
            lane.polling = true;
            lane.lastPollNanos = now;
            boolean alsoReconcile = reconcile && lane.identified;
            return () -> calls.list(lane, alsoReconcile);
        }
        if (verify) {
            Lane.Awaited succeeded = lane.toVerify.remove();
            lane.verifying++;
            return () -> calls.verify(lane, succeeded);
        }
        Lane.Send send = lanes.nextSend(lane);
        lane.sending++;
        return () -> calls.send(lane, send);
    }

    /** The earliest moment some lane wants to be looked at again. */
    static final class Wake {
        private long at;

        Wake(long at) {
            this.at = at;
        }

        void at(long nanos) {
            at = Math.min(at, nanos);
        }

        long at() {
            return at;
        }
    }
}
