package io.cvimport.emulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A share of calls picked evenly rather than at random, so a test that asks for a quarter of
 * the answers lost always sees some: with share s the n-th call is picked when
 * ceil(n·s) > ceil((n−1)·s). The first call is always picked (for any s above 0), and any
 * first n calls hold at least floor(n·s) picked ones.
 */
final class Share {

    static final Share NONE = new Share(0);

    private final double share;
    private final AtomicLong calls = new AtomicLong();

    Share(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("a share is between 0 and 1: " + share);
        }
        this.share = share;
    }

    boolean next() {
        if (share == 0) {
            return false;
        }
        long n = calls.incrementAndGet();
        return Math.ceil(n * share) > Math.ceil((n - 1) * share);
    }
}
