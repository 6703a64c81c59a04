package io.cvimport.imports.lanes;

import io.cvimport.imports.ImportProperties;








/**
 * When a lane may call: whether a send, a listing or a look at other runs' claims is due
 * now, and when a lane with none due will have a listing due. Read on the lanes' owner's
 * thread; times in nanoseconds are of the monotonic clock, in milliseconds of the wall clock.
 */
public final class CallsDue {

    private final long minPollNanos;
    private final long maxPollNanos;
    /** The shortest time an import took on any lane of this engine; -1 until one was seen. */
    private long importNanosSeen = -1;

    public CallsDue(ImportProperties properties) {
        this.minPollNanos = properties.pollInterval().toNanos();
        this.maxPollNanos = properties.maxPollInterval().toNanos();
    }

    /** Looking at other runs' claims again: it costs no call, so no budget. */
    boolean heldCheck(Lane lane, long now, boolean stopping) {
        return !stopping && !lane.held.isEmpty() && !lane.checkingHeld && now >= lane.heldCheckNanos;
    }

    /**
     * A lost answer's time to be looked for has come. No import of the lane is in flight
     * then: a lost answer holds the resource's send slot until a listing decides it.
     */
    boolean reconcile(Lane lane, long now) {
        return !lane.importOpen && lane.lost.stream().anyMatch(lost -> now >= lost.checkAtNanos());
    }

    /**
     * A listing: before a target's first send (which resource is it?), to reconcile lost
     * answers, or to settle awaited imports. While a lane still has rows to send, its
     * listings would only spend its budget early: it lists at the longest interval until
     * its queue is empty. Once everything is sent, one listing when its last import could
     * have finished settles them all; one before would find only some done.
     */
    boolean listing(Lane lane, long now, boolean reconcile, boolean stopping) {
        boolean discover = !lane.identified && !lane.queue.isEmpty();
        return !stopping && !lane.polling && (discover || reconcile || now >= lane.nextPollNanos
                && !lane.awaited.isEmpty() && (lane.queue.isEmpty()
                        ? lane.sending == 0 && now >= lastFinishAt(lane)
                        : now - lane.lastPollNanos >= maxPollNanos));
    }

    /**
     * When the lane's tail listing is due: once its last import sent in this run could have
     * finished by the import times seen, and no earlier than the first awaited import's end
     * (a source row's by its export's estimate). Not the last estimate's end: one long import
     * would hold every shorter one of the target unsettled until then.
     */
    private long lastFinishAt(Lane lane) {
        long seen = lane.lastSentNanos == Long.MIN_VALUE ? Long.MIN_VALUE : lane.lastSentNanos + importNanos(lane);
        return Math.max(seen, lane.firstEstimatedFinishNanos);
    }

    /**
     * A send: once the lane's resource is known, and not while a lost answer holds the
     * resource's send slot. A token row also waits here while another import of the lane is
     * in flight; a source row is handed out to export meanwhile, and waits for the slot in
     * its sender, just before its import leaves (a second time, once the slot is free).
     */
    boolean send(Lane lane, boolean stopping) {
        Send head = lane.queue.peek();
        if (stopping || !lane.identified || head == null || !lane.lost.isEmpty()) {
            return false;
        }
        return head.source() != null && !head.afterSlot() || !lane.importOpen && lane.sending == lane.exporting;
    }

    /**
     * When a lane that neither sends nor lists now will have a listing (or a look at held
     * claims) due, or MAX_VALUE if only an event (a call ending, a row fed) can make it due.
     */
    long listingAt(Lane lane, long now, boolean stopping) {
        if (stopping || lane.polling) {
            return Long.MAX_VALUE;
        }
        long at = Long.MAX_VALUE;
        if (!lane.awaited.isEmpty() && lane.queue.isEmpty()) {
            // Sends in flight: their ends wake the scheduler.
            at = lane.sending == 0 ? Math.max(lane.nextPollNanos, lastFinishAt(lane)) : Long.MAX_VALUE;
        }
        else if (!lane.awaited.isEmpty()) {
            at = Math.max(lane.nextPollNanos, lane.lastPollNanos + maxPollNanos);
        }
        if (!lane.held.isEmpty() && !lane.checkingHeld) {
            at = Math.min(at, lane.heldCheckNanos);
        }
        if (!lane.lost.isEmpty() && !lane.importOpen) {
            at = Math.min(at, lane.lost.stream().mapToLong(LostAnswer::checkAtNanos).min().getAsLong());
        }
        return at;
    }

    /**
     * After a listing: the shortest interval again when it changed something, else half as
     * long again, up to the longest; and never before an awaited import could first have
     * finished, which would find nothing changed (lost answers keep their own timing).
     */
    void listed(Lane lane, boolean changed, long now) {
        lane.pollIntervalNanos = changed ? minPollNanos : Math.min(maxPollNanos, (long) (lane.pollIntervalNanos * 1.5));
        long next = now + lane.pollIntervalNanos;
        long earliest = Long.MAX_VALUE;
        for (AwaitedImport awaited : lane.awaited.values()) {
            earliest = Math.min(earliest, finishAt(lane, awaited));
        }
        lane.nextPollNanos = earliest == Long.MAX_VALUE ? next : Math.max(next, earliest);
        // Settled rows no longer hold the lane's listing back.
        lane.firstEstimatedFinishNanos = earliest == Long.MAX_VALUE ? Long.MIN_VALUE : earliest;
    }

    /**
     * The earliest an awaited import could have finished: after the shortest import time
     * seen on its lane, else on any lane (imports of one service take alike), else the
     * first listing interval; for a source row, not before its export's estimate (the
     * service's own figure for that project, which no other import tells).
     */
    long finishAt(Lane lane, AwaitedImport awaited) {
        if (awaited.sentNanos() == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return awaited.sentNanos() + Math.max(importNanos(lane), awaited.estimateNanos());
    }

    private long importNanos(Lane lane) {
        return lane.importNanos >= 0 ? lane.importNanos : importNanosSeen >= 0 ? importNanosSeen : minPollNanos;
    }

    /**
     * An import the service accepted is awaited from now on. Its first listing waits for when
     * it could first have finished; an import that can finish before those awaited already (a
     * shorter estimate) brings it forward.
     */
    public void accepted(Lane lane, AwaitedImport awaited, long now) {
        long first = Math.max(now + lane.pollIntervalNanos, finishAt(lane, awaited));
        lane.nextPollNanos = lane.awaited.isEmpty() ? first : Math.min(lane.nextPollNanos, first);
        lane.awaited.put(awaited.projectId(), awaited);
        awaiting(lane, awaited);
    }

    /** An import of this run is awaited from now on. */
    void awaiting(Lane lane, AwaitedImport awaited) {
        lane.lastSentNanos = Math.max(lane.lastSentNanos, awaited.sentNanos());
        couldFinishAt(lane, finishAt(lane, awaited));
    }

    /** An awaited import was first seen out of Importing now: how long imports take on its lane. */
    public void seenDone(Lane lane, AwaitedImport awaited, long now) {
        long took = now - awaited.sentNanos();
        if (awaited.sentNanos() != Long.MIN_VALUE && took >= 0) {
            lane.importNanos = lane.importNanos < 0 ? took : Math.min(lane.importNanos, took);
            importNanosSeen = importNanosSeen < 0 ? took : Math.min(importNanosSeen, took);
        }
    }

    /** Claims held by other runs are looked at again after the longest listing interval. */
    long nextHeldCheck(long now) {
        return now + maxPollNanos;
    }

    /** An import awaited on the lane could first finish at {@code nanos} (MIN_VALUE: not known). */
    static void couldFinishAt(Lane lane, long nanos) {
        long first = lane.firstEstimatedFinishNanos;
        lane.firstEstimatedFinishNanos = first == Long.MIN_VALUE ? nanos
                : nanos == Long.MIN_VALUE ? first : Math.min(first, nanos);
    }
}
