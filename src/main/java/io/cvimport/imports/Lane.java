package io.cvimport.imports;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import io.cvimport.customvision.TargetResource;

/**
 * One target resource's share of the engine: its queue of imports to send, the imports
 * it awaits, the rows whose answers were lost, and its rate budget. Every field is
 * guarded by the engine's monitor.
 */
final class Lane {

    /** An import to send: the token lives only here, in memory, until it is sent. */
    record Send(long rowNo, String token, int attempts) {
    }

    /**
     * An import the service accepted, awaited until its status leaves Importing: TIMED_OUT
     * at this run's deadline, FAILED past the give-up time (counted from its sending, over all runs).
     */
    record Awaited(long rowNo, String projectId, long deadlineMillis, long giveUpMillis) {
    }

    /** A sent import whose answer was lost: its project may or may not exist. */
    record Lost(long rowNo, String token, long sentAtMillis, long lostAtMillis) {
    }

    private static final double PACING_MARGIN = 1.03;

    final TargetResource target;
    final String fingerprint;
    final Deque<Send> queue = new ArrayDeque<>();
    final Map<String, Awaited> awaited = new LinkedHashMap<>();
    final List<Lost> lost = new ArrayList<>();
    private final double configuredRate;
    private double rate;
    final Bucket bucket;
    int sending;
    boolean polling;
    long pausedUntilNanos;
    long nextPollNanos;
    long pollIntervalNanos;
    long lastPollNanos;

    /**
     * The service's clock minus ours, as bounded by the imports it answered: each answer
     * says the project was created between our send and our receipt.
     */
    private long skewLowMillis = Long.MIN_VALUE;
    private long skewHighMillis = Long.MAX_VALUE;

    Lane(TargetResource target, double rate, long pollIntervalNanos) {
        this.target = target;
        this.fingerprint = target.fingerprint();
        this.configuredRate = rate;
        this.rate = rate;
        this.bucket = bucketFor(rate);
        this.pollIntervalNanos = pollIntervalNanos;
        this.lastPollNanos = System.nanoTime();
    }

    /**
     * Calls are paced, not burst: one token, refilled every 1/rate seconds, so that no
     * one-second window of the service ever sees more than the rate.
     */
    private static Bucket bucketFor(double rate) {
        return Bucket.builder().addLimit(limit(rate)).build();
    }

    private static Bandwidth limit(double rate) {
        // A little under the budget: calls leave a few milliseconds apart from when they were
        // paced, and the service counts them as they arrive.
        long periodNanos = Math.max(1, (long) (1_000_000_000L / rate * PACING_MARGIN));
        return Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofNanos(periodNanos)).build();
    }

    /**
     * The service throttled us: wait as told, and slow down by a tenth; {@link #answered}
     * brings the rate back slowly (additive increase, multiplicative decrease), so that a
     * lane settles just under what the service allows.
     */
    void throttled(long nowNanos, Duration wait) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + wait.toNanos());
        changeRate(Math.max(configuredRate / 10, rate * 0.9));
    }

    /** A call went through: recover a two-hundredth of the configured rate, up to it. */
    void answered() {
        if (rate < configuredRate) {
            changeRate(Math.min(configuredRate, rate + configuredRate / 200));
        }
    }

    private void changeRate(double newRate) {
        rate = newRate;
        bucket.replaceConfiguration(io.github.bucket4j.BucketConfiguration.builder().addLimit(limit(newRate)).build(),
                io.github.bucket4j.TokensInheritanceStrategy.AS_IS);
    }

    void observe(long sentAtMillis, long answeredAtMillis, java.time.Instant created) {
        long createdMillis = created.toEpochMilli();
        skewLowMillis = Math.max(skewLowMillis, createdMillis - answeredAtMillis);
        skewHighMillis = Math.min(skewHighMillis, createdMillis - sentAtMillis);
    }

    /**
     * Where, on the service's clock, a project made by an import sent and lost at these
     * times of ours can have been created: narrowed by what the answered imports showed
     * of the clocks, else widened by the configured tolerance.
     */
    long[] creationWindow(long sentAtMillis, long lostAtMillis, long toleranceMillis) {
        long margin = 2;
        if (skewLowMillis != Long.MIN_VALUE && skewLowMillis <= skewHighMillis + margin) {
            return new long[] { sentAtMillis + skewLowMillis - margin, lostAtMillis + skewHighMillis + margin };
        }
        return new long[] { sentAtMillis - toleranceMillis, lostAtMillis + toleranceMillis };
    }

    boolean idle() {
        return queue.isEmpty() && awaited.isEmpty() && lost.isEmpty() && sending == 0 && !polling;
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
