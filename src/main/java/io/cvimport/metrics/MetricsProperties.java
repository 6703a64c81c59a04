package io.cvimport.metrics;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code metrics.*}: where the run's meters go at its end.
 *
 * @param textfile at the end of the run, write its meters to this file in Prometheus text format (for the node
 *                 exporter's textfile collector); none when unset or empty
 */
@ConfigurationProperties("metrics")
record MetricsProperties(@Nullable String textfile) {

    /** The file to write, or null for none. */
    @Nullable Path textfilePath() {
        return textfile == null || textfile.isBlank() ? null : Path.of(textfile);
    }
}
