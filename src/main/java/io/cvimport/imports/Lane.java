package io.cvimport.imports;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.ServerDate;
import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ExportedCounts;

/**
 * One target resource's share of the engine: its queue of imports to send, the imports
 * it awaits, the rows whose answers were lost, the rows waiting on another run's claim, and
 * its rate budget. Every target (key and endpoint) known to reach the resource shares it.
 * Every field is guarded by the scheduler's monitor ({@link LaneScheduler}); the rules of
 * when it may call are {@link CallsDue}'s.
 */
final class Lane {

    /**
     * An import to send: the token lives only here, in memory, until it is sent.
     *
     * @param target          the row's own target: its key and endpoint send it
     * @param token           the row's token; empty for a row that names its source project
     * @param heldSinceMillis when it first found its claim held by another run's row, else 0
     * @param source          the project to export just before the import leaves, for a row that names one
     * @param afterSlot         a source row that waited for the lane's send slot in vain: it is exported
     *                          only once the slot is free, not ahead of the lane's imports
     */
    record Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis,
            @Nullable SourceProject source, boolean afterSlot) {

        Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis,
                @Nullable SourceProject source) {
            this(target, rowNo, token, attempts, heldSinceMillis, source, false);
        }

        Send(TargetResource target, long rowNo, String token, int attempts, long heldSinceMillis) {
            this(target, rowNo, token, attempts, heldSinceMillis, null);
        }

        /** The same row, to send again later. */
        Send again(int attempts, long heldSinceMillis) {
            return new Send(target, rowNo, token, attempts, heldSinceMillis, source, afterSlot);
        }

        /** The same row, to export only once its lane's send slot is free. */
        Send untilSlotFree() {
            return new Send(target, rowNo, token, attempts, heldSinceMillis, source, true);
        }

        @Override
        public String toString() {
            return "row " + rowNo + " to " + target; // never the token
        }
    }

    /**
     * An import the service accepted, awaited until its status leaves Importing: TIMED_OUT
     * at this run's deadline, FAILED past the give-up time (counted from its sending, over all runs).
     *
     * @param sentNanos    when it was sent, on the monotonic clock (MIN_VALUE when an earlier run sent it)
     * @param source       whether the row names its source project (its import is verified)
     * @param estimateNanos how long its export said the import takes, at most the import timeout; 0 when none did
     * @param exported     the counts its export announced in this run; null for a token row, or when an
     *                     earlier run exported it (the ledger keeps them)
     */
    record Awaited(long rowNo, String projectId, long deadlineMillis, long giveUpMillis, long sentNanos,
            boolean source, long estimateNanos, @Nullable ExportedCounts exported) {
    }

    /**
     * A sent import whose answer was lost: its project may or may not exist. It holds its
     * resource's send slot until a listing decides it.
     *
     * @param sentNanos        when it was sent (monotonic); MIN_VALUE when an earlier execution sent it
     * @param listedBeforeNanos when the lane's last listing before the send was asked for; MIN_VALUE when none
     *                          was (an earlier execution's send): projects not in it were made after it
     * @param decidableAtNanos from when (monotonic) a listing that shows no project of it proves it was never
     *                         performed: once the request's whole lifetime has passed since it was sent
     * @param checkAtNanos     when the next listing looks for its project
     */
    record Lost(long rowNo, String token, TargetResource target, long sentAtMillis, long sentNanos,
            long listedBeforeNanos, long decidableAtNanos, long checkAtNanos, @Nullable SourceProject source) {

        /** The same lost answer, looked for again at {@code nanos}. */
        Lost checkAgainAt(long nanos) {
            return new Lost(rowNo, token, target, sentAtMillis, sentNanos, listedBeforeNanos, decidableAtNanos, nanos,
                    source);
        }

        @Override
        public String toString() {
            return "row " + rowNo + " to " + target; // never the token
        }
    }

    private static final double PACING_MARGIN = 1.03;
    /** How far, in seconds of its rate, a lane's source sends may run ahead of its budget. */
    private static final double EXPORTS_AHEAD_SECONDS = 0.5;

    /** The target that lists and gets the resource's projects: one of {@link #targets}. */
    TargetResource target;
    /** The resource's targets this run uses, by fingerprint, until the service refuses one. */
    final Map<String, TargetResource> targets = new LinkedHashMap<>();
    final String fingerprint;
    /** The resource's id (see ResourceLinks). */
    String resourceId;
    /** The resource of another lane that this one turned out to reach, while it was too busy to merge; else null. */
    @Nullable String mergeInto;
    /** False until the first listing has shown which resource a target never linked is. */
    boolean identified;
    int discoveryFailures;
    /** When the last listing that answered here was asked for (monotonic); MIN_VALUE before any. */
    long lastListingNanos = Long.MIN_VALUE;
    /**
     * Project ids this run has listed here, with when (monotonic) the listing that first showed
     * each was received: the owners of those the ledger was already asked about, and which
     * projects appeared after a lost import was sent, whatever the clocks say.
     */
    final Map<String, Long> firstListedNanos = new HashMap<>();
    final Deque<Send> queue = new ArrayDeque<>();
    /** Rows whose claim another run's row holds, looked at again from time to time. */
    final Deque<Send> held = new ArrayDeque<>();
    boolean checkingHeld;
    long heldCheckNanos;
    final Map<String, Awaited> awaited = new LinkedHashMap<>();
    final List<Lost> lost = new ArrayList<>();
    /**
     * This lane's import of unknown outcome, from just before its row is marked SUBMITTING
     * until its answer: with {@link #lost}, the in-process half of the resource's send slot.
     */
    boolean importOpen;
    /** Targets whose key the service refused in this run: nothing more is sent with them. */
    final Map<String, ApiError> refused = new LinkedHashMap<>();
    private final double configuredRate;
    private double rate;
    final Bucket bucket;
    int sending;
    /** Sends of source rows handed out and not over: their imports take this lane's budget as they leave. */
    int exporting;
    /** Source rows whose project Succeeded, to verify (GetTags) on this lane's budget; and those being verified. */
    final Deque<Awaited> toVerify = new ArrayDeque<>();
    int verifying;
    boolean polling;
    long pausedUntilNanos;
    long nextPollNanos;
    long pollIntervalNanos;
    long lastPollNanos;
    /**
     * The shortest time an import took here, from its sending to being first seen out of
     * Importing; -1 until one was seen.
     */
    long importNanos = -1;
    /** When the last import awaited here was sent, in this run; MIN_VALUE before any. */
    long lastSentNanos = Long.MIN_VALUE;
    /**
     * The earliest an import awaited in this run could have finished (by the import times seen,
     * or a source row's estimate); MIN_VALUE when none is known. The tail listing waits for it.
     */
    long firstEstimatedFinishNanos = Long.MIN_VALUE;
    /** Environment failures in a row (TLS trust, DNS, proxy) since this target last answered. */
    int environmentFailures;
    /** Why nothing more is sent here in this run, once the environment failed too often. */
    @Nullable String stoppedBecause;

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

    Lane(TargetResource target, String resourceId, double rate, long pollIntervalNanos) {
        this(target, resourceId, rate, pollIntervalNanos, Ticker.SYSTEM);
    }

    Lane(TargetResource target, String resourceId, double rate, long pollIntervalNanos, Ticker ticker) {
        this.target = target;
        this.targets.put(target.fingerprint(), target);
        this.fingerprint = target.fingerprint();
        this.resourceId = resourceId;
        this.configuredRate = rate;
        this.rate = rate;
        this.bucket = bucketFor(rate, ticker);
        this.pollIntervalNanos = pollIntervalNanos;
        this.lastPollNanos = ticker.nanos();
    }

    /**
     * Calls are paced, not burst: one token, refilled every 1/rate seconds, so that no
     * one-second window of the service ever sees more than the rate.
     */
    private static Bucket bucketFor(double rate, Ticker ticker) {
        return Bucket.builder().addLimit(limit(rate)).withCustomTimePrecision(ticker.meter()).build();
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

    /** An import awaited here could first finish at {@code nanos} (MIN_VALUE: not known). */
    void couldFinishAt(long nanos) {
        firstEstimatedFinishNanos = firstEstimatedFinishNanos == Long.MIN_VALUE ? nanos
                : nanos == Long.MIN_VALUE ? firstEstimatedFinishNanos : Math.min(firstEstimatedFinishNanos, nanos);
    }

    private void changeRate(double newRate) {
        rate = newRate;
        bucket.replaceConfiguration(io.github.bucket4j.BucketConfiguration.builder().addLimit(limit(newRate)).build(),
                io.github.bucket4j.TokensInheritanceStrategy.AS_IS);
    }

    /** Source sends this lane may have handed out at once (see {@link SourceSends}). */
    int exportsAhead() {
        return Math.max(2, (int) Math.ceil(rate * EXPORTS_AHEAD_SECONDS));
    }

    void observe(long sentAtMillis, long answeredAtMillis, java.time.Instant created) {
        long createdMillis = created.toEpochMilli();
        skewLowMillis = Math.max(skewLowMillis, createdMillis - answeredAtMillis);
        skewHighMillis = Math.min(skewHighMillis, createdMillis - sentAtMillis);
    }

    /** Any answer: the target's clock as it showed it; an answer also proves the way there works. */
    void observe(ApiResult<?> result) {
        observe(result.serverDate());
        if (result instanceof ApiResult.Ok<?> || ((ApiResult.Failed<?>) result).error().httpStatus() != 0) {
            environmentFailures = 0;
        }
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

    /**
     * The service refused the listing target's key: another key of the resource lists from
     * now on. False if none is left.
     */
    boolean dropListingTarget() {
        targets.remove(target.fingerprint());
        if (targets.isEmpty()) {
            targets.put(target.fingerprint(), target);
            return false;
        }
        target = targets.values().iterator().next();
        return true;
    }

    /** The service's refusal of a target's key (its listing answered 401 or 403), by target fingerprint. */
    @Nullable ApiError refusalOf(TargetResource of) {
        return refused.get(of.fingerprint());
    }

    /** No import of this lane has an unknown outcome: another may take the resource's send slot. */
    boolean slotFree() {
        return !importOpen && lost.isEmpty();
    }

    boolean idle() {
        if (stoppedBecause != null) {
            return sending == 0 && !polling && !checkingHeld && verifying == 0;
        }
        return queue.isEmpty() && awaited.isEmpty() && lost.isEmpty() && held.isEmpty() && sending == 0 && !polling
                && !checkingHeld && toVerify.isEmpty() && verifying == 0;
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
