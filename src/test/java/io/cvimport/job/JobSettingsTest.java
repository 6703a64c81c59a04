package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The job's settings bind under their documented names, beside the other records on {@code import}. */
class JobSettingsTest {

    private static <T> T bind(Class<T> type, Map<String, String> options) {
        return new Binder(new MapConfigurationPropertySource(options)).bindOrCreate("import", type);
    }

    @Test
    void defaults() {
        assertThat(bind(RunLockProperties.class, Map.of()).lockTtl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(bind(ProgressProperties.class, Map.of()).progressEvery()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenValuesAmongOtherImportOptions() {
        Map<String, String> options = Map.of("import.lock-ttl", "3s", "import.progress-every", "500ms",
                "import.window", "10", "import.repository-outage-tolerance", "5s");
        assertThat(bind(RunLockProperties.class, options).lockTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(bind(ProgressProperties.class, options).progressEvery()).isEqualTo(Duration.ofMillis(500));
    }

    /** A round of 0 s would spin, recording the step's progress without pause. */
    @Test
    void progressRoundsShorterThan100MillisecondsAreRefused() {
        assertThatThrownBy(() -> bind(ProgressProperties.class, Map.of("import.progress-every", "0s")))
                .rootCause().hasMessage("import.progress-every must be at least 100 ms: 0 ms given");
        assertThat(bind(ProgressProperties.class, Map.of("import.progress-every", "100ms")).progressEvery())
                .isEqualTo(Duration.ofMillis(100));
    }
}
