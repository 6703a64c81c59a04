package io.cvimport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MetricsPropertiesTest {

    private static MetricsProperties bind(Map<String, String> options) {
        return new Binder(new MapConfigurationPropertySource(options)).bindOrCreate("metrics", MetricsProperties.class);
    }

    @Test
    void noTextfileUnlessOneIsNamed() {
        assertThat(bind(Map.of()).textfilePath()).isNull();
        assertThat(bind(Map.of("metrics.textfile", "")).textfilePath()).isNull();
        assertThat(bind(Map.of("metrics.textfile", "  ")).textfilePath()).isNull();
    }

    @Test
    void aRelativeTextfileStaysRelativeToTheWorkingDirectory() {
        assertThat(bind(Map.of("metrics.textfile", "out/cvimport.prom")).textfilePath())
                .isEqualTo(Path.of("out/cvimport.prom"));
    }
}
