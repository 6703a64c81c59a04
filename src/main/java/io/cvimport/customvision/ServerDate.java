package io.cvimport.customvision;

import java.time.Instant;

/**
 * An answer's {@code Date} header with the times, on our clock, when the request was sent
 * and the answer received: the service's clock read somewhere in between, to the second.
 */
public record ServerDate(long sentAtMillis, long receivedAtMillis, Instant date) {

    /** The service's clock minus ours is at least this. */
    public long skewAtLeastMillis() {
        return date.toEpochMilli() - receivedAtMillis;
    }

    /** The service's clock minus ours is at most this (the header drops the milliseconds). */
    public long skewAtMostMillis() {
        return date.toEpochMilli() + 999 - sentAtMillis;
    }
}
