package io.cvimport.imports.lanes;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;

/**
 * Failures of the environment (TLS trust, DNS, proxy) are not a row's outcome: a target
 * that shows a few of them in a row is given up for this run, its rows left open, and the
 * run ends with one line per cause saying what the operator can do about it.
 */
public final class EnvironmentStops {

    /** Failures in a row that stop a target: enough to ride out a blip, few enough to stop fast. */
    static final int IN_A_ROW = 3;
    private static final Logger log = LoggerFactory.getLogger(EnvironmentStops.class);

    private final Set<String> lines = new LinkedHashSet<>();

    /**
     * Counts one failure of the lane, on the lanes' owner's thread: the lane pauses, or once
     * stopped, its queued, awaited and lost rows are dropped (they stay open in the ledger:
     * the next run takes them up).
     */
    public void failed(Lane lane, ApiError error, ResourceLanes lanes, long nowNanos) {
        boolean wasStopped = lane.stoppedBecause != null;
        Duration pause = pause(lane, error);
        if (pause != null) {
            lane.pausedUntilNanos = Math.max(lane.pausedUntilNanos, nowNanos + pause.toNanos());
            return;
        }
        lanes.drop(lane);
        if (!wasStopped) {
            log.warn("{}: nothing more is sent there in this run ({} {} failures in a row)", lane,
                    lane.environmentFailures, error.code());
        }
    }

    /** How long the lane pauses before its next call, or null once it is stopped. */
    private @Nullable Duration pause(Lane lane, ApiError error) {
        if (lane.stoppedBecause != null) {
            return null;
        }
        lane.environmentFailures++;
        if (lane.environmentFailures < IN_A_ROW) {
            return Duration.ofSeconds(1L << (lane.environmentFailures - 1));
        }
        lane.stoppedBecause = lane.listingTarget().endpoint() + ": " + error.message();
        synchronized (lines) {
            lines.add(lane.stoppedBecause);
        }
        return null;
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
