/**
 * Micrometer meters of a run and, since cron jobs have no scrape window, a Prometheus
 * text file written at the end of each run for the node exporter's textfile collector.
 */
@NullMarked
package io.cvimport.metrics;

import org.jspecify.annotations.NullMarked;
