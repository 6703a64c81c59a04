package io.cvimport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.RowStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code --metrics.textfile=PATH}: at the end of a run, the run's meters (calls, 429s,
 * retries, lost answers, rows per outcome, exit code, duration) in Prometheus text format,
 * written whole or not at all, for the node exporter's textfile collector.
 */
@Component
public class MetricsFile {

    private static final Logger log = LoggerFactory.getLogger(MetricsFile.class);

    private final PrometheusMeterRegistry registry;
    private final @Nullable Path path;
    private final Map<RowStatus, Long> rows = new EnumMap<>(RowStatus.class);
    private volatile double exitCode;
    private volatile double seconds;
    private volatile double endedAt;

    MetricsFile(PrometheusMeterRegistry registry, MetricsProperties properties) {
        this.registry = registry;
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

    /** Records the run's end and writes the file, if one was asked for. */
    public void write(Map<RowStatus, Long> counts, int code, Duration took) {
        if (path == null) {
            return;
        }
        rows.replaceAll((status, old) -> counts.getOrDefault(status, 0L));
        exitCode = code;
        seconds = took.toMillis() / 1000.0;
        endedAt = System.currentTimeMillis() / 1000.0;
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, path.getFileName().toString(), ".partial");
            Files.writeString(partial, registry.scrape(), StandardCharsets.UTF_8);
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("metrics written to {}", path);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics file " + path, e);
        }
    }
}
