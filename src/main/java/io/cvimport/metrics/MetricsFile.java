package io.cvimport.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.RowStatus;
import io.cvimport.report.AtomicFile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The end of a run in its meters (rows per outcome, exit code, duration) and, with
 * {@code --metrics.textfile=PATH}, all the run's meters (calls, 429s, retries, lost
 * answers...) in Prometheus text format, written whole or not at all, for the node
 * exporter's textfile collector; the same meters go to a Pushgateway when one is set up
 * (see {@link PushedMeters}).
 */
@Component
public class MetricsFile {

    private static final Logger log = LoggerFactory.getLogger(MetricsFile.class);

    private final PrometheusMeterRegistry registry;
    private final PushedMeters pushed;
    private final @Nullable Path path;
    private final Map<RowStatus, Long> rows = new EnumMap<>(RowStatus.class);
    private volatile double exitCode;
    private volatile double seconds;
    private volatile double endedAt;

    MetricsFile(PrometheusMeterRegistry registry, PushedMeters pushed, MetricsProperties properties) {
        this.registry = registry;
        this.pushed = pushed;
        this.path = properties.textfilePath();
        for (RowStatus status : RowStatus.values()) {
            rows.put(status, 0L);
            Gauge.builder("cvimport.rows", rows, r -> r.get(status)).tag("status", status.name())
                    .description("rows of the input per status at the end of the run").register(registry);
        }
        Gauge.builder("cvimport.run.exit.code", this, m -> m.exitCode).description("exit code of the run")
                .register(registry);
        Gauge.builder("cvimport.run.duration.seconds", this, m -> m.seconds).description("wall time of the run")
                .register(registry);
        Gauge.builder("cvimport.run.end.time.seconds", this, m -> m.endedAt)
                .description("when the run ended, seconds since the epoch").register(registry);
    }

    /**
     * Records the run's end, hands its meters to the Pushgateway, and writes the file if one
     * was asked for. A file that cannot be written is logged, and the run keeps its exit
     * code: the import's outcome is in the job repository whatever happens to its meters.
     */
    public void write(Map<RowStatus, Long> counts, int code, Duration took) {
        rows.replaceAll((status, old) -> counts.getOrDefault(status, 0L));
        exitCode = code;
        seconds = took.toMillis() / 1000.0;
        endedAt = System.currentTimeMillis() / 1000.0;
        pushed.publish(registry);
        if (path != null) {
            writeFile(path);
        }
    }

    private void writeFile(Path file) {
        try {
            AtomicFile.write(file, partial -> Files.writeString(partial, registry.scrape(), StandardCharsets.UTF_8));
            log.info("metrics written to {}", file);
        }
        catch (IOException e) {
            log.error("cannot write the metrics file {}: {}", file, e.toString());
        }
    }
}
