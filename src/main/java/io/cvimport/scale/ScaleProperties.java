package io.cvimport.scale;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code scale.*}: whether this process runs the whole job, or one side of remote partitioning.
 *
 * @param role             single: one process does everything; manager: load, the partitioned import (its
 *                         partitions sent to workers over the broker) and the report; worker: runs the import
 *                         partitions it receives until stopped
 * @param broker           external: the broker of spring.artemis.broker-url; embedded: the manager hosts an
 *                         Artemis broker itself
 * @param brokerHost       the address the manager's embedded broker listens on: loopback by default, where only
 *                         this host reaches it; 0.0.0.0 or an interface's address for workers on other hosts, which
 *                         requires spring.artemis.user and spring.artemis.password
 * @param brokerPort       the TCP port of the manager's embedded broker
 * @param workerPartitions partitions a worker runs at once
 * @param workerLease      how long a worker's lease lasts unrenewed (it renews it every third of that): a manager
 *                         that sees a lease this old revokes it and sends that worker's partitions again
 * @param workerHeartbeatFile a file a worker touches each time it renews its lease, for a supervisor's liveness
 *                         probe (for example find FILE -mmin -1); none by default
 * @param workerTimeout    how long a manager with unfinished partitions waits while no worker is alive, before it
 *                         gives the run up (exit 1; the same command resumes it)
 */
@ConfigurationProperties("scale")
public record ScaleProperties(@DefaultValue("single") Role role, @DefaultValue("external") Broker broker,
        @DefaultValue("127.0.0.1") String brokerHost, @DefaultValue("61616") int brokerPort, @DefaultValue("1") int workerPartitions,
        @DefaultValue("20s") Duration workerLease, @Nullable Path workerHeartbeatFile,
        @DefaultValue("10m") Duration workerTimeout) {

    public enum Role {
        SINGLE, MANAGER, WORKER
    }

    public enum Broker {
        EXTERNAL, EMBEDDED
    }

    public ScaleProperties {
        if (brokerPort < 1 || brokerPort > 65535 || workerPartitions < 1) {
            throw new IllegalArgumentException("scale.broker-port must be a TCP port and scale.worker-partitions"
                    + " at least 1");
        }
        if (workerLease.toMillis() < 300 || workerTimeout.isNegative()) {
            throw new IllegalArgumentException("scale.worker-lease must be at least 300ms and scale.worker-timeout"
                    + " not negative");
        }
        if (broker == Broker.EMBEDDED && role != Role.MANAGER) {
            throw new IllegalArgumentException("--scale.broker=embedded is for the manager (--scale.role=manager):"
                    + " workers connect to it with --spring.artemis.broker-url=tcp://MANAGER-HOST:" + brokerPort);
        }
    }

    boolean remote() {
        return role != Role.SINGLE;
    }
}
