package io.cvimport.imports;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;

/**
 * Failures of the environment (TLS trust, DNS, proxy) are not a row's outcome: a target
 * that shows a few of them in a row is given up for this run, its rows left open, and the
 * run ends with one line per cause saying what the operator can do about it.
 */
final class EnvironmentStops {

    /** Failures in a row that stop a target: enough to ride out a blip, few enough to stop fast. */
    static final int IN_A_ROW = 3;

    private final Set<String> lines = new LinkedHashSet<>();

    /**
     * Counts one failure of the lane (under the engine's monitor).
     *
     * @return how long the lane pauses before its next call, or null once it is stopped
     */
    @Nullable Duration failed(Lane lane, ApiError error) {
        if (lane.stoppedBecause != null) {
            return null;
        }
        lane.environmentFailures++;
        if (lane.environmentFailures < IN_A_ROW) {
            return Duration.ofSeconds(1L << (lane.environmentFailures - 1));
        }
        lane.stoppedBecause = lane.target.endpoint() + ": " + error.message();
        synchronized (lines) {
            lines.add(lane.stoppedBecause);
        }
        return null;
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
