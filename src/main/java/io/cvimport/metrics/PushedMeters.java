package io.cvimport.metrics;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * What Boot's Pushgateway support ({@code management.prometheus.metrics.export.pushgateway.*})
 * pushes: nothing until a run has ended, then the run's meters as they were at its end.
 * Boot pushes when it starts, every push-rate and when the application closes (POST, set in
 * application.properties); an empty POST changes no metric in the gateway, so a
 * {@code --status}, a run refused with exit 4 or a run still going never overwrites the last
 * finished run's meters, and the push at close carries the run's end.
 */
@Component
class PushedMeters {

    private final PrometheusRegistry pushed;
    private final AtomicBoolean published = new AtomicBoolean();

    PushedMeters(PrometheusRegistry pushed) {
        this.pushed = pushed;
    }

    /** Called once a run has ended: what the gateway will get at the application's close. */
    void publish(PrometheusMeterRegistry meters) {
        if (published.compareAndSet(false, true)) {
            MetricSnapshots atTheEnd = meters.getPrometheusRegistry().scrape();
            pushed.register(() -> atTheEnd);
        }
    }
}
