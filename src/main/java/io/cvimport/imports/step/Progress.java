package io.cvimport.imports.step;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.lanes.CallCounts;

/**
 * Where a running import stands: rows settled of those open at its start, the rows per
 * status, its calls and the service's 429s, and an estimate of the rest once rows settle.
 * Read by the plain progress line (not on a terminal) and by the bar (on one).
 */
final class Progress {

    /**
     * @param settled rows settled since the import started, of {@code total} open then
     * @param left    the estimate of the time left; null until a row settled
     */
    record Snapshot(long settled, long total, Map<RowStatus, Long> counts, double rowsPerSecond,
            double callsPerSecond, long answered429, @Nullable Duration left) {

        /** The rows per status, as {@code succeeded=3 importing=2}. */
        String states() {
            return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }
    }

    private final ImportLedger ledger;
    private final long instance;
    private final long openAtStart;
    private final CallCounts calls;
    private final long started = System.nanoTime();
    private final long finishedAtStart;

    Progress(ImportLedger ledger, long instance, long openAtStart, CallCounts calls) {
        this.ledger = ledger;
        this.instance = instance;
        this.openAtStart = openAtStart;
        this.calls = calls;
        this.finishedAtStart = finished(ledger.countsByStatus(instance));
    }

    Snapshot snapshot() {
        Map<RowStatus, Long> counts = ledger.countsByStatus(instance);
        long done = Math.max(0, finished(counts) - finishedAtStart);
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 0.001);
        double perSecond = done / seconds;
        Duration left = done == 0 ? null
                : Duration.ofSeconds((long) Math.ceil(Math.max(0, openAtStart - done) / perSecond));
        return new Snapshot(done, openAtStart, counts, perSecond, calls.calls() / seconds, calls.answered429(), left);
    }

    /** The plain progress line, for a log that is not a terminal. */
    String line() {
        Snapshot now = snapshot();
        String rate = now.left() == null ? "no row settled yet, so no estimate of the time left"
                : rate(now.rowsPerSecond()) + ", about " + format(now.left()) + " left";
        return String.format(Locale.ROOT, "import: %d of %d rows settled (%s); %.1f calls/s, %d answered 429; %s",
                now.settled(), now.total(), now.states(), now.callsPerSecond(), now.answered429(), rate);
    }

    /** Rows per second, or per minute or hour when slower: never a rate that reads as zero. */
    static String rate(double perSecond) {
        if (perSecond >= 0.1) {
            return String.format(Locale.ROOT, "%.1f rows/s", perSecond);
        }
        if (perSecond * 60 >= 0.1) {
            return String.format(Locale.ROOT, "%.1f rows/min", perSecond * 60);
        }
        return String.format(Locale.ROOT, "%.2f rows/h", perSecond * 3600);
    }

    private static long finished(Map<RowStatus, Long> counts) {
        return counts.entrySet().stream().filter(e -> !RowStatus.OPEN.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    static String format(Duration duration) {
        long s = duration.toSeconds();
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
