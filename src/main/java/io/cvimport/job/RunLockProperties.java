package io.cvimport.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code import.lock-ttl}: when the run lock of a run on another host counts as abandoned.
 *
 * @param lockTtl H2 only: how long the lock of a run on another host may go unrenewed before a run takes it over
 *                (a killed run on the same host, and any killed run on PostgreSQL, is taken over at once);
 *                renewed every third of it
 */
@ConfigurationProperties("import")
record RunLockProperties(@DefaultValue("20s") Duration lockTtl) {
}
