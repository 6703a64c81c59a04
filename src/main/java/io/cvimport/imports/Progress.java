package io.cvimport.imports;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/** The progress line of a long import: rows finished per status, throughput and an estimate of the rest. */
final class Progress {

    private final ImportLedger ledger;
    private final long instance;
    private final long openAtStart;
    private final long started = System.nanoTime();
    private final long finishedAtStart;

    Progress(ImportLedger ledger, long instance, long openAtStart) {
        this.ledger = ledger;
        this.instance = instance;
        this.openAtStart = openAtStart;
        this.finishedAtStart = finished(ledger.countsByStatus(instance));
    }

    String line() {
        Map<RowStatus, Long> counts = ledger.countsByStatus(instance);
        long done = finished(counts) - finishedAtStart;
        double seconds = (System.nanoTime() - started) / 1e9;
        double perSecond = done / Math.max(seconds, 0.001);
        long left = Math.max(0, openAtStart - done);
        String eta = perSecond > 0 ? format(Duration.ofSeconds((long) (left / perSecond))) : "unknown";
        String states = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return String.format(java.util.Locale.ROOT, "import: %d of %d rows settled, %.1f rows/s, about %s left (%s)",
                done, openAtStart, perSecond, eta, states);
    }

    private static long finished(Map<RowStatus, Long> counts) {
        return counts.entrySet().stream().filter(e -> !RowStatus.OPEN.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    private static String format(Duration duration) {
        long s = duration.toSeconds();
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
