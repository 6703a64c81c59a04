package io.cvimport.imports.lanes;

import java.util.Iterator;

/**
 * When a lane may hand out a send whose row names its source project. Its export is the
 * call that leaves first, so it takes the source's budget at the hand-out, and its import
 * takes the target's budget as it leaves ({@link Sender}). Taken at the hand-out, the
 * target's budget let the export's wait for its source move the import off its slot into
 * the slots of the target's other calls, and the target answered 429. A lane hands out
 * only a few such sends ahead of its budget, so that workers do not pile up waiting on it.
 * Called on the lanes' owner's thread.
 */
final class SourceSends {

    /** How deep into a lane's queue a source send is looked for. */
    private static final int LOOK_AHEAD = 16;

    private final ResourceLanes lanes;

    SourceSends(ResourceLanes lanes) {
        this.lanes = lanes;
    }

    /**
     * Takes a source's budget for one of the first source sends of the lane's queue (its
     * head is one) and moves that send to the head, when one may be handed out now. A head
     * whose source has no budget left does not hold up the rows of other sources behind it
     * (an input naming its sources in turn would otherwise have every target wait on the
     * same source at once); a token row keeps its place.
     *
     * @return 0 when taken; otherwise when to look again, MAX_VALUE when only a send of the
     *         lane ending can make it due
     */
    long take(Lane lane, long now) {
        if (lane.exporting >= lane.budget.exportsAhead()) {
            return Long.MAX_VALUE;
        }
        if (!lane.budget.hasOne()) {
            return now + lane.budget.nanosToNext();
        }
        long wake = Long.MAX_VALUE;
        Iterator<Send> queue = lane.queue.iterator();
        for (int looked = 0; looked < LOOK_AHEAD && queue.hasNext(); looked++) {
            Send send = queue.next();
            if (send.source() == null) {
                break;
            }
            Lane source = lanes.of(send.source().resource());
            if (source.pausedUntilNanos > now) {
                wake = Math.min(wake, source.pausedUntilNanos);
            }
            else if (source.budget.tryTake()) {
                if (looked > 0) {
                    queue.remove();
                    lane.queue.addFirst(send);
                }
                lane.exporting++;
                return 0;
            }
            else {
                wake = Math.min(wake, now + source.budget.nanosToNext());
            }
        }
        return wake;
    }
}
