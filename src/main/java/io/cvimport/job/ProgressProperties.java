package io.cvimport.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code import.progress-every}: how often a running import reports its progress.
 *
 * @param progressEvery interval of the progress line while importing
 */
@ConfigurationProperties("import")
record ProgressProperties(@DefaultValue("10s") Duration progressEvery) {

    /** Each round records the step's progress in the repository: a shorter one would only load it. */
    static final Duration SHORTEST = Duration.ofMillis(100);

    ProgressProperties {
        if (progressEvery.compareTo(SHORTEST) < 0) {
            throw new IllegalArgumentException("import.progress-every must be at least " + SHORTEST.toMillis()
                    + " ms: " + progressEvery.toMillis() + " ms given");
        }
    }
}
