package io.cvimport.metrics;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Groups a run's meters in the Pushgateway by its input: the grouping key {@code instance}
 * defaults to the input's file name (never a key or a token), so that the nightly runs of
 * one input replace each other and two inputs keep a group each. An {@code instance} given
 * in the configuration wins.
 */
public class PushgatewayInstance implements EnvironmentPostProcessor {

    static final String INSTANCE = "management.prometheus.metrics.export.pushgateway.grouping-key.instance";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String input = environment.getProperty("input");
        if (input == null || input.isBlank() || environment.containsProperty(INSTANCE)) {
            return;
        }
        Path name = Path.of(input).getFileName();
        if (name != null) {
            environment.getPropertySources().addLast(new MapPropertySource("pushgateway-instance",
                    Map.of(INSTANCE, name.toString())));
        }
    }
}
