package io.cvimport.metrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /** The run's meters, as they go: what the text file shows. */
    @Bean(destroyMethod = "close")
    PrometheusMeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** The registry Boot's Pushgateway support pushes: empty until the run has ended (see {@link PushedMeters}). */
    @Bean
    PrometheusRegistry prometheusRegistry() {
        return new PrometheusRegistry();
    }
}
