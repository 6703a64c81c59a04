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
}
