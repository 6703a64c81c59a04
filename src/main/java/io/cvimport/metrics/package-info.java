/**
 * Micrometer meters of a run and, since cron jobs have no scrape window, the meters of its
 * end: a Prometheus text file for the node exporter's textfile collector, and what Boot's
 * Pushgateway support pushes when the run closes.
 */
@NullMarked
package io.cvimport.metrics;

import org.jspecify.annotations.NullMarked;
