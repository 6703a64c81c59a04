package io.cvimport.repository;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code import.repository-outage-tolerance}: how long the job repository's database may be away.
 *
 * @param repositoryOutageTolerance how long a run pauses while the job repository's database is unreachable
 *                                  (restart, failover, full disk) before it fails with exit 1
 */
@ConfigurationProperties("import")
record RepositoryOutageProperties(@DefaultValue("60s") Duration repositoryOutageTolerance) {
}
