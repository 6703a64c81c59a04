package io.cvimport.imports.lanes;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ServerDate;

/**
 * The service's clock as one target resource's answers showed it, against ours: bounds on
 * the skew between them, from the projects its imports made and listed and from its Date
 * headers. It tells where, on the service's clock, a project made by a lost import can have
 * been created. Owned, like its lane, by the lanes' owner's thread.
 */
final class ServiceClock {

    /**
     * The service's clock minus ours, as bounded by every answer that showed it: an
     * answered import's project was created between our send and our receipt, an answer's
     * Date header was written in between too, and a listed project was created before we
     * received the listing.
     */
    private long skewLowMillis = Long.MIN_VALUE;
    private long skewHighMillis = Long.MAX_VALUE;
    /**
     * The same, from Date headers alone: to the second, and possibly of a gateway's clock
     * rather than the one that stamps projects, so used only until projects have shown it.
     */
    private long dateSkewLowMillis = Long.MIN_VALUE;
    private long dateSkewHighMillis = Long.MAX_VALUE;

    void observe(long sentAtMillis, long answeredAtMillis, java.time.Instant created) {
        long createdMillis = created.toEpochMilli();
        skewLowMillis = Math.max(skewLowMillis, createdMillis - answeredAtMillis);
        skewHighMillis = Math.min(skewHighMillis, createdMillis - sentAtMillis);
    }

    void observe(@Nullable ServerDate date) {
        if (date != null) {
            dateSkewLowMillis = Math.max(dateSkewLowMillis, date.skewAtLeastMillis());
            dateSkewHighMillis = Math.min(dateSkewHighMillis, date.skewAtMostMillis());
        }
    }

    /** A project listed in an answer received (at the latest) then was created before it. */
    void observeListed(java.time.Instant created, long receivedAtMillis) {
        skewLowMillis = Math.max(skewLowMillis, created.toEpochMilli() - receivedAtMillis);
    }

    /**
     * Where, on the service's clock, a project made by an import sent and lost at these
     * times of ours can have been created: narrowed by what this target's answers showed
     * of the clocks, else widened by the configured tolerance.
     */
    long[] creationWindow(long sentAtMillis, long lostAtMillis, long toleranceMillis) {
        long margin = 2;
        boolean lowKnown = skewLowMillis != Long.MIN_VALUE;
        boolean highKnown = skewHighMillis != Long.MAX_VALUE;
        if (lowKnown && highKnown && skewLowMillis > skewHighMillis + margin) {
            // The answers contradict each other (a clock stepped): trust only the tolerance.
            return new long[] { sentAtMillis - toleranceMillis, lostAtMillis + toleranceMillis };
        }
        long low;
        long high;
        if (lowKnown && highKnown) {
            low = skewLowMillis;
            high = skewHighMillis;
        }
        else if (dateSkewHighMillis != Long.MAX_VALUE && dateSkewLowMillis <= dateSkewHighMillis + margin) {
            low = dateSkewLowMillis;
            high = dateSkewHighMillis;
        }
        else if (lowKnown) {
            // A listing alone only says how far behind the service's clock cannot be.
            low = Math.max(skewLowMillis, -toleranceMillis);
            high = Math.max(skewLowMillis, 0) + toleranceMillis;
        }
        else if (highKnown) {
            high = Math.min(skewHighMillis, toleranceMillis);
            low = Math.min(skewHighMillis, 0) - toleranceMillis;
        }
        else {
            low = -toleranceMillis;
            high = toleranceMillis;
        }
        low -= margin;
        high += margin;
        return new long[] { sentAtMillis + low, lostAtMillis + high };
    }
}
