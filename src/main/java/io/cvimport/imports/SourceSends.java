package io.cvimport.imports;

import java.util.Objects;

/**
 * When a lane may hand out a send whose row names its source project. Its export is the
 * call that leaves first, so it takes the source's budget at the hand-out, and its import
 * takes the target's budget as it leaves ({@link Sender}). Taken at the hand-out, the
 * target's budget let the export's wait for its source move the import off its slot into
 * the slots of the target's other calls, and the target answered 429. A lane hands out
 * only a few such sends ahead of its budget, so that workers do not pile up waiting on it.
 * Called under the scheduler's monitor.
 */
final class SourceSends {

    private final ResourceLanes lanes;

    SourceSends(ResourceLanes lanes) {
        this.lanes = lanes;
    }

    /**
     * Takes the source's budget for {@code send}, the head of the lane's queue, when it may
     * be handed out now.
     *
     * @return 0 when taken; otherwise when to look again, MAX_VALUE when only a send of the
     *         lane ending can make it due
     */
    long take(Lane lane, Lane.Send send, long now) {
        Lane source = lanes.of(Objects.requireNonNull(send.source()).resource());
        if (source.pausedUntilNanos > now) {
            return source.pausedUntilNanos;
        }
        if (lane.exporting >= lane.exportsAhead()) {
            return Long.MAX_VALUE;
        }
        if (lane.bucket.getAvailableTokens() < 1) {
            return now + lane.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        }
        if (!source.bucket.tryConsume(1)) {
            return now + source.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        }
        lane.exporting++;
        return 0;
    }
}
