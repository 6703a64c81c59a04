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
    @Nullable Runnable of(Lane lane, long now, boolean stopping, LaneCalls calls, Wake wake) {
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
        Send head = list ? null : sendable(lane, now, stopping, wake);
        // Verifications are reads of rows already SUCCEEDED: a stopping run still makes them.
        boolean verify = !list && head == null && !lane.toVerify.isEmpty();
        if (!list && head == null && !verify) {
            long listAt = due.listingAt(lane, now, stopping);
            if (listAt != Long.MAX_VALUE) {
                wake.at(Math.max(listAt, now + MIN_WAIT_NANOS));
            }
            return null;
        }
        if (!withinBudget(lane, head, now, wake)) {
            return null;
        }
        return list ? listing(lane, now, reconcile, calls) : verify ? verification(lane, calls) : sending(lane, calls);
    }

    private static Runnable listing(Lane lane, long now, boolean reconcile, LaneCalls calls) {
        lane.polling = true;
        lane.lastPollNanos = now;
        boolean alsoReconcile = reconcile && lane.identified;
        return () -> calls.list(lane, alsoReconcile);
    }

    private static Runnable verification(Lane lane, LaneCalls calls) {
        AwaitedImport succeeded = lane.toVerify.remove();
        lane.verifying++;
        return () -> calls.verify(lane, succeeded);
    }

    private Runnable sending(Lane lane, LaneCalls calls) {
        Send send = lanes.nextSend(lane);
        lane.sending++;
        return () -> calls.send(lane, send);
    }

    /**
     * The lane's next send, if one is due; a source send whose source has no budget yet is
     * not (it lets a verification go first), and says in {@code wake} when to look again.
     */
    private @Nullable Send sendable(Lane lane, long now, boolean stopping, Wake wake) {
        Send head = due.send(lane, stopping) ? lane.queue.peek() : null;
        long turn = head != null && head.source() != null ? sourceSends.take(lane, now) : 0;
        if (turn == 0) {
            return head;
        }
        if (turn != Long.MAX_VALUE) {
            wake.at(Math.max(turn, now + MIN_WAIT_NANOS));
        }
        return null;
    }

    /**
     * Takes the call's budget: a source send took its source's at the hand-out and takes its
     * target's as its import leaves; a row of a refused key is rejected without a call.
     */
    private static boolean withinBudget(Lane lane, @Nullable Send head, long now, Wake wake) {
        boolean refused = head != null && lane.refusalOf(head.target()) != null;
        if ((head == null || head.source() == null) && !refused && !lane.budget.tryTake()) {
            wake.at(now + Math.max(MIN_WAIT_NANOS, lane.budget.nanosToNext()));
            return false;
        }
        return true;
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
